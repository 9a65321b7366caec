import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { config } from '../kernel/config.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../kernel/database.ts';
import { keepPglitePlans } from '../kernel/prepared.ts';

export interface TestDatabase {
	name: 'pglite' | 'postgres';
	/**
	 * A migrated database with the reference data and the demo content, as the global set-up
	 * prepared it (test/global-setup.ts), and no one else's: each test file gets it as prepared.
	 */
	open(): Promise<DatabaseHandle>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const testDatabases: TestDatabase[] = [
	{ name: 'pglite', open: () => openPglite() },
	...(process.env.TEST_DATABASE_URL
		? [{ name: 'postgres' as const, open: () => openPostgres(process.env.TEST_DATABASE_URL!) }]
		: [])
];

// Starting PGlite from the prepared files costs a second or more of CPU, and copying the
// PostgreSQL template and dropping the copy most of another: a hundred test files paid both.
// Instead, each test worker (a process running one file after another) keeps one database of each
// kind, takes a copy of its tables once, and puts the copy back before the next file opens it
// (tens of milliseconds). A file that changed the schema itself, or a second database open at
// once, gets a fresh one as before.

type Run = (statement: string) => Promise<{ rows: Record<string, unknown>[] }>;

interface Kept<T> {
	resource: T;
	busy: boolean;
	fingerprint: string;
	restore: string;
}

const pristine = 'pristine';

/** The tables, their sequences and the schema's fingerprint, in every schema the app owns. */
const userSchemas = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast', '${pristine}') and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'`;

async function fingerprint(run: Run): Promise<string> {
	const { rows } = await run(
		`select md5(string_agg(c.oid::text || ':' || c.relname || ':' || c.relkind::text || ':' || c.relnatts, ',' order by c.oid)) as f
		from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${userSchemas}`
	);
	return String(rows[0]!.f);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Copies every table into the schema `pristine` and returns the statement that puts them back:
 * empty every table, insert the copies (generated columns are computed again), set each sequence
 * where it was. Foreign keys and triggers are off meanwhile (session_replication_role).
 */
async function keepCopy(run: Run): Promise<string> {
	const { rows: tables } = await run(
		`select n.nspname as schema, c.relname as name,
			(select string_agg(quote_ident(a.attname), ', ' order by a.attnum) from pg_attribute a
				where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
			exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attidentity <> '') as identity
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind in ('r', 'p') and ${userSchemas} order by 1, 2`
	);
	const { rows: sequences } = await run(
		`select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where c.relkind = 'S' and ${userSchemas}`
	);
	const copyName = (t: Record<string, unknown>) => `${pristine}.${quote(`${t.schema}.${t.name}`)}`;
	const full = (t: Record<string, unknown>) => `${quote(String(t.schema))}.${quote(String(t.name))}`;
	await run(`drop schema if exists ${pristine} cascade; create schema ${pristine}`);
	const filled: Record<string, unknown>[] = [];
	for (const t of tables) {
		await run(`create table ${copyName(t)} as table ${full(t)}`);
		const { rows } = await run(`select exists (select 1 from ${copyName(t)}) as any`);
		if (rows[0]!.any) filled.push(t);
	}
	const positions: string[] = [];
	for (const s of sequences) {
		const { rows } = await run(`select last_value, is_called from ${full(s)}`);
		positions.push(
			`select setval('${full(s).replaceAll("'", "''")}', ${rows[0]!.last_value}, ${rows[0]!.is_called})`
		);
	}
	return [
		'begin',
		'set local session_replication_role = replica',
		`truncate ${tables.map(full).join(', ')}`,
		...filled.map(
			(t) =>
				`insert into ${full(t)} (${t.columns})${t.identity ? ' overriding system value' : ''} select ${t.columns} from ${copyName(t)}`
		),
		...positions,
		'commit'
	].join(';\n');
}

/** Takes the kept one if it is free and its schema unchanged, else makes (and keeps) a new one. */
async function take<T>(
	kept: Kept<T> | undefined,
	make: () => Promise<T>,
	runOn: (resource: T) => Promise<{ run: Run; done(): Promise<void> }>,
	discard: (resource: T) => Promise<void>
): Promise<{ kept: Kept<T>; resource: T }> {
	if (kept && !kept.busy) {
		const { run, done } = await runOn(kept.resource);
		try {
			// What a file may leave in a session: its settings.
			await run('reset all');
			if ((await fingerprint(run)) === kept.fingerprint) {
				await run(kept.restore);
				kept.busy = true;
				return { kept, resource: kept.resource };
			}
		} catch {
			// Left in a state the restore cannot mend (an aborted transaction): a fresh one instead.
		} finally {
			await done();
		}
		await discard(kept.resource).catch(() => {});
	}
	const resource = await make();
	const { run, done } = await runOn(resource);
	try {
		const restore = await keepCopy(run);
		return { kept: { resource, busy: true, fingerprint: await fingerprint(run), restore }, resource };
	} finally {
		await done();
	}
}

let dump: Blob | undefined;
let keptPglite: Kept<import('@electric-sql/pglite').PGlite> | undefined;

async function openPglite(): Promise<DatabaseHandle> {
	const { PGlite } = await import('@electric-sql/pglite');
	const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
	const { drizzle } = await import('drizzle-orm/pglite');
	dump ??= new Blob([readFileSync(inject('pgliteDump'))]);
	// As the app's database thread opens it (kernel/pglite-worker.ts): its statements kept prepared.
	// In this thread, not behind one: the thread itself is tested in kernel/pglite-thread.test.ts
	// and by every test that starts the server (startup, browser and operations suites).
	const load = async () => {
		const client = await PGlite.create({ loadDataDir: dump, extensions: { pg_trgm } });
		await keepPglitePlans(client, config().databasePreparedStatements);
		return client;
	};
	if (keptPglite?.busy) {
		// A second one at once: a fresh copy of its own, not kept.
		const client = await load();
		return { db: drizzle(client) as unknown as Database, kind: 'pglite', close: () => client.close() };
	}
	const taken = await take(
		keptPglite,
		load,
		async (client) => ({
			run: async (statement) => {
				const results = await client.exec(statement);
				return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
			},
			done: async () => {}
		}),
		(client) => client.close()
	);
	keptPglite = taken.kept;
	const kept = taken.kept;
	// A new Drizzle instance each time, so that nothing cached on the last one carries over.
	return {
		db: drizzle(taken.resource) as unknown as Database,
		kind: 'pglite',
		close: async () => {
			kept.busy = false;
		}
	};
}

let keptPostgres: Kept<string> | undefined;

async function openPostgres(adminUrl: string): Promise<DatabaseHandle> {
	const urlOf = (name: string) => {
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		return url.toString();
	};
	if (keptPostgres?.busy) {
		const name = await copyTemplate(adminUrl, 'x');
		const handle = await openDatabase({ url: urlOf(name) });
		return { ...handle, close: () => handle.close().then(() => dropDatabase(adminUrl, name)) };
	}
	const taken = await take(
		keptPostgres,
		() => copyTemplate(adminUrl, 'w'),
		async (name) => {
			const client = new pg.Client({ connectionString: urlOf(name) });
			await client.connect();
			return {
				run: async (statement) => {
					const result = (await client.query(statement)) as unknown as pg.QueryResult | pg.QueryResult[];
					const last = Array.isArray(result) ? result.at(-1)! : result;
					return { rows: last.rows as Record<string, unknown>[] };
				},
				done: () => client.end()
			};
		},
		(name) => dropDatabase(adminUrl, name)
	);
	keptPostgres = taken.kept;
	const kept = taken.kept;
	const handle = await openDatabase({ url: urlOf(taken.resource) });
	return {
		...handle,
		close: async () => {
			await handle.close();
			kept.busy = false;
		}
	};
}

/**
 * A copy of the prepared template, named for this run's template and this worker ("w", kept) or
 * for one file ("x"): the global teardown drops any a worker left behind.
 */
async function copyTemplate(adminUrl: string, kind: 'w' | 'x'): Promise<string> {
	const template = inject('postgresTemplate')!;
	const name = `${template}_${kind}${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(`create database ${name} template ${template}`);
	} finally {
		await admin.end();
	}
	return name;
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
	const drop = new pg.Client({ connectionString: adminUrl });
	await drop.connect();
	try {
		// The pool's clients may still be saying goodbye: a forced drop would cut one off
		// mid-close and surface as an unhandled error. Wait (briefly) until they are gone.
		for (let i = 0; i < 50; i++) {
			const { rows } = await drop.query(
				'select count(*)::int as n from pg_stat_activity where datname = $1',
				[name]
			);
			if (rows[0].n === 0) break;
			await new Promise((r) => setTimeout(r, 20));
		}
		await drop.query(`drop database if exists ${name} with (force)`);
	} finally {
		await drop.end();
	}
}
