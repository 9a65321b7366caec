import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import {
	freshPostgres,
	root,
	startInstance,
	startInstances,
	type FreshPostgres,
	type Instance
} from '../e2e/instances.ts';
import { startReverseProxy } from './reverse-proxy.ts';

/**
 * Several instances (processes) on one PostgreSQL: started together on an empty database they all
 * come up with one migration run and one copy of the reference and demo data; behind a reverse
 * proxy, restarting them one after the other under load loses no request.
 */

const migrations = (
	JSON.parse(readFileSync(path.join(root, 'drizzle/meta/_journal.json'), 'utf8')) as {
		entries: unknown[];
	}
).entries.length;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return (await client.query<T>(sql)).rows;
	} finally {
		await client.end();
	}
}

/** What a start wrote: each count must be the same whatever the number of instances. */
async function written(url: string) {
	const [row] = await query<Record<string, string>>(
		url,
		`select
			(select count(*) from drizzle.__drizzle_migrations) as migrations,
			(select count(distinct hash) from drizzle.__drizzle_migrations) as distinct_migrations,
			(select count(*) from sdg_goal) as goals,
			(select count(*) from sdg_target) as targets,
			(select count(*) from theme) as themes,
			(select count(*) from organization) as organizations,
			(select count(*) from article) as articles,
			(select count(distinct (lang, title)) from article_translation) as distinct_titles,
			(select count(*) from article_translation) as translations,
			(select count(*) from partnership) as partnerships`
	);
	return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

describe.runIf(process.env.TEST_DATABASE_URL)('several instances on one PostgreSQL', () => {
	const databases: FreshPostgres[] = [];
	const running: Instance[] = [];
	let twoWrote: Record<string, number> | undefined;

	afterAll(async () => {
		await Promise.all(running.map((i) => i.stop('SIGKILL')));
		await Promise.all(databases.map((d) => d.drop()));
	});

	test(
		'two instances started at once on an empty database: both ready, one migration, no duplicate rows',
		{ timeout: 180_000 },
		async () => {
			const database = await freshPostgres('process_two');
			databases.push(database);
			const instances = await startInstances(2, { DATABASE_URL: database.url });
			running.push(...instances);
			twoWrote = await written(database.url);
			expect(twoWrote.migrations).toBe(migrations);
			expect(twoWrote.distinct_migrations).toBe(migrations);
			expect(twoWrote.goals).toBe(17);
			expect(twoWrote.targets).toBe(169);
			expect(twoWrote.translations).toBe(twoWrote.distinct_titles);
			expect(twoWrote.articles).toBeGreaterThan(0);
			for (const i of instances) expect((await fetch(`${i.url}/readyz`)).status).toBe(200);
		}
	);

	test(
		'a rolling restart of two instances behind a proxy under continuous requests loses none',
		{ timeout: 240_000 },
		async () => {
			const [a, b] = running.splice(0, 2) as [Instance, Instance];
			const database = databases[0]!.url;
			const proxy = await startReverseProxy([a.url, b.url]);
			const failures: string[] = [];
			let answered = 0;
			let loading = true;
			// Four clients, each asking for a cached page and a page that reads the database in turn.
			const client = async () => {
				for (let n = 0; loading; n++) {
					const address = n % 2 ? '/inspiration' : '/search?q=demokrati';
					try {
						const res = await fetch(`${proxy.url}${address}`, { signal: AbortSignal.timeout(10_000) });
						await res.arrayBuffer();
						if (res.status === 200) answered++;
						else failures.push(`${address}: ${res.status}`);
					} catch (error) {
						failures.push(`${address}: ${String(error)}`);
					}
					// Steady traffic that leaves the two cores room to start the new processes.
					await new Promise((r) => setTimeout(r, 20));
				}
			};
			const clients = Array.from({ length: 4 }, client);
			try {
				const restarted: Instance[] = [];
				for (const old of [a, b]) {
					const before = answered;
					const code = await old.stop('SIGTERM');
					expect(code, `exit ${code}:\n${old.log()}`).toBe(0);
					// The same port, as a process manager restarting it would.
					restarted.push(await startInstance({ DATABASE_URL: database }, { port: old.port }));
					running.push(restarted.at(-1)!);
					expect(answered).toBeGreaterThan(before);
				}
				// Both new processes take their share afterwards.
				const [a0, b0] = proxy.hits as [number, number];
				const since = Date.now();
				while (!(proxy.hits[0]! > a0 && proxy.hits[1]! > b0) && Date.now() - since < 10_000) {
					await new Promise((r) => setTimeout(r, 50));
				}
				expect(proxy.hits[0]).toBeGreaterThan(a0);
				expect(proxy.hits[1]).toBeGreaterThan(b0);
			} finally {
				loading = false;
				await Promise.all(clients);
				await proxy.close();
			}
			expect(failures).toEqual([]);
			expect(answered).toBeGreaterThan(20);
		}
	);

	test(
		'four instances started at once on an empty database: all ready, the same rows as two wrote',
		{ timeout: 240_000 },
		async () => {
			const database = await freshPostgres('process_four');
			databases.push(database);
			const instances = await startInstances(4, { DATABASE_URL: database.url }, { readyTimeoutMs: 180_000 });
			running.push(...instances);
			expect(await written(database.url)).toEqual(twoWrote);
			for (const i of instances) expect((await fetch(`${i.url}/readyz`)).status).toBe(200);
		}
	);

	test(
		'two instances started at once on an old database (the newest migration not run): one runs it, both ready',
		{ timeout: 240_000 },
		async () => {
			const database = await freshPostgres('process_old');
			databases.push(database);
			// The database as the previous release left it: every migration but the newest, and the
			// reference data (the demo is loaded by the new release).
			const previous = mkdtempSync(path.join(tmpdir(), 'partnerskap-migrations-'));
			cpSync(path.join(root, 'drizzle'), previous, { recursive: true });
			const journal = path.join(previous, 'meta/_journal.json');
			const entries = JSON.parse(readFileSync(journal, 'utf8')) as { entries: { tag: string }[] };
			const newest = entries.entries.pop()!;
			writeFileSync(journal, JSON.stringify(entries));
			execFileSync(process.execPath, ['scripts/migrate.js'], {
				cwd: root,
				env: { ...process.env, DATABASE_URL: database.url, MIGRATIONS_DIR: previous, SEED_DEMO: 'false' },
				stdio: 'pipe'
			});
			expect((await written(database.url)).migrations).toBe(migrations - 1);

			const instances = await startInstances(2, { DATABASE_URL: database.url }, { readyTimeoutMs: 180_000 });
			running.push(...instances);
			const after = await written(database.url);
			expect(after, `after ${newest.tag}`).toEqual(twoWrote);
			for (const i of instances) expect((await fetch(`${i.url}/readyz`)).status).toBe(200);
		}
	);
});
