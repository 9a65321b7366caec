import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq, inArray, like } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, inject, it } from 'vitest';
import { openDatabase, startTime } from '../kernel/database.ts';
import { article, articleRevision } from '../content/schema.ts';
import { dialogueSpace, mapReport, mapReportEvent } from '../dialogue/schema.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pglite-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A prepared database's files (test/global-setup.ts): a folder starts from them without initdb. */
const dump = () => new Blob([readFileSync(inject('pgliteDump'))]);

/**
 * A writer process (durability-child.ts), started ahead of its turn so that loading its modules
 * overlaps the run before it. `run` hands it its database, lets it write until it has acknowledged
 * `kills` articles, then kills it with SIGKILL (mid-write: it never stops writing) and returns the
 * acknowledged ids. `whileWriting` runs once the first write is acknowledged, the writer still alive.
 */
function aWriter() {
	const child = spawn(process.execPath, [new URL('./durability-child.ts', import.meta.url).pathname], {
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let out = '';
	let err = '';
	// A writer that died early is reported by `until`, not by a broken pipe.
	child.stdin.on('error', () => {});
	child.stderr.on('data', (c: Buffer) => (err += c.toString()));
	child.stdout.on('data', (c: Buffer) => (out += c.toString()));
	const ended = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
	// Everything it wrote before it died is read ('close' comes after the pipe's last byte), and it
	// is reaped: until then its pid is a zombie's, alive to kill(pid, 0), and its lock still holds.
	const gone = Promise.all([new Promise((r) => child.stdout.once('close', r)), ended]);
	const acknowledged = () => out.split('\n').length - 1;
	/** Resolves once `n` writes are acknowledged; rejects when the writer ends before. */
	const until = (n: number) =>
		new Promise<void>((resolve, reject) => {
			const look = () => acknowledged() >= n && (child.stdout.off('data', look), resolve());
			child.stdout.on('data', look);
			look();
			void ended.then((signal) =>
				reject(new Error(`The writer ended (${signal ?? 'exit'}) before ${n} writes:\n${err}`))
			);
		});
	return {
		kill: () => child.kill('SIGKILL'),
		async run(args: string[], kills: number, whileWriting?: (pid: number) => Promise<void>) {
			child.stdin.write(`${args.join(' ')}\n`);
			await until(1);
			await whileWriting?.(child.pid!);
			await until(kills);
			child.kill('SIGKILL');
			await gone;
			return out.split('\n').filter(Boolean).map(Number);
		}
	};
}

/** How many writes a run acknowledges before the kill: at least 20, at random, so the kill lands anywhere. */
const acknowledgements = () => 20 + Math.floor(Math.random() * 20);

type Kind = {
	name: 'pglite' | 'postgres';
	start(): Promise<{ target: string; first: string[]; done(): Promise<void> }>;
};
const kinds: Kind[] = [
	{
		name: 'pglite',
		// One folder for all the runs (each reopens what the killed one left), one per kind of writes.
		start: async () => ({
			target: path.join(dir, `killed-${Math.random().toString(36).slice(2, 8)}`),
			first: [inject('pgliteDump')],
			done: async () => {}
		})
	},
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres' as const,
					start: async () => {
						// A database of its own, copied from the prepared one (migrated, with the demo).
						const admin = process.env.TEST_DATABASE_URL!;
						const name = `durability_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
						const run = async (sql: string) => {
							const c = new pg.Client({ connectionString: admin });
							await c.connect();
							await c.query(sql).finally(() => c.end());
						};
						await run(`create database ${name} template ${inject('postgresTemplate')}`);
						const url = new URL(admin);
						url.pathname = `/${name}`;
						return {
							target: url.toString(),
							first: [],
							done: () => run(`drop database if exists ${name} with (force)`)
						};
					}
				}
			]
		: [])
];

type Writes = 'articles' | 'reports';
const runs: { kind: Kind; writes: Writes; name: string }[] = kinds.flatMap((kind) =>
	(['articles', 'reports'] as const).map((writes) => ({ kind, writes, name: `${writes} on ${kind.name}` }))
);

/**
 * Kills per kind of writes: one in `npm test` (the gate: a killed writer, its folder or database
 * reopened after it); `npm run bench:faults` sets FAULT_RUNS=3 for the fault suite's figures,
 * each run reopening what the killed one before it left.
 */
const killRuns = Math.max(1, Number(process.env.FAULT_RUNS ?? 1));

// The kinds, and the test after them, run at the same time: each mostly waits on processes.
it.concurrent.for(runs)(
	`kill -9 during a write load of $name loses no acknowledged write in ${killRuns} run${killRuns > 1 ? 's' : ''}, and leaves none half-written`,
	{ timeout: 120_000 },
	async ({ kind, writes }, { expect }) => {
		// Each run's writer is started while the run before it writes.
		const writers = [aWriter()];
		const { target, first, done } = await kind.start();
		try {
			const acknowledged: { prefix: string; ids: number[] }[] = [];
			for (let run = 0; run < killRuns; run++) {
				const writer = writers[run]!;
				if (run < killRuns - 1) writers.push(aWriter());
				const prefix = `kill-9-${writes}-${kind.name}-${run}`;
				const wanted = acknowledgements();
				const ids = await writer.run(
					[target, prefix, writes, ...(run === 0 ? first : [])],
					wanted,
					// PGlite has no lock of its own: while the writer holds the folder, another process is refused.
					kind.name === 'pglite' && run === 0
						? (pid) => expect(openDatabase({ dataDir: target })).rejects.toThrow(`in use by process ${pid}`)
						: undefined
				);
				expect(ids.length).toBeGreaterThanOrEqual(wanted);
				acknowledged.push({ prefix, ids });
			}
			// Reopened after the last kill (the PGlite folder's lock names a dead process).
			const handle = target.startsWith('postgres')
				? await openDatabase({ url: target })
				: await openDatabase({ dataDir: target });
			try {
				for (const { prefix, ids } of writes === 'reports' ? acknowledged : []) {
					const saved = await handle.db
						.select({ id: mapReport.id, description: mapReport.description })
						.from(mapReport)
						.innerJoin(dialogueSpace, eq(dialogueSpace.id, mapReport.spaceId))
						.where(eq(dialogueSpace.slug, prefix));
					const found = new Map(saved.map((r) => [r.id, r.description]));
					// Every acknowledged report, in order; the one being written at the kill may be there too.
					expect(ids.map((id) => found.get(id)?.split(':')[0])).toEqual(
						ids.map((_, i) => `Sparad före kraschen ${i}`)
					);
					expect(saved.length - ids.length).toBeLessThanOrEqual(1);
					// Each report that is there came with the first step of its history.
					const steps = await handle.db
						.select({ n: count() })
						.from(mapReportEvent)
						.where(
							and(inArray(mapReportEvent.reportId, [...found.keys()]), eq(mapReportEvent.status, 'new'))
						);
					expect(steps[0]!.n).toBe(saved.length);
				}
				for (const { prefix, ids } of writes === 'articles' ? acknowledged : []) {
					const saved = await handle.db
						.select({ id: article.id, slug: article.slug })
						.from(article)
						.where(like(article.slug, `${prefix}-%`));
					const found = new Map(saved.map((r) => [r.id, r.slug]));
					// Every acknowledged article, in order; the one being written at the kill may be there too.
					expect(ids.map((id) => found.get(id))).toEqual(ids.map((_, i) => `${prefix}-${i}`));
					expect(saved.length - ids.length).toBeLessThanOrEqual(1);
					// Each article that is there came with its revision (one transaction, all or nothing).
					const revisions = await handle.db
						.select({ n: count() })
						.from(articleRevision)
						.where(
							and(inArray(articleRevision.articleId, [...found.keys()]), eq(articleRevision.action, 'create'))
						);
					expect(revisions[0]!.n).toBe(saved.length);
				}
				console.log(
					`kill -9 during ${writes} on ${kind.name}: acknowledged ${acknowledged.map((a) => a.ids.length).join(', ')} writes, 0 missing`
				);
			} finally {
				await handle.close();
			}
		} finally {
			for (const writer of writers) writer.kill();
			await done();
		}
	}
);

it.concurrent(
	'a lock naming a live process that started at another time (its pid reused) is stale: the folder opens',
	async ({ expect }) => {
		const dataDir = path.join(dir, 'reused');
		// Any unrelated live program: its pid is alive, but it is not the process that took the lock.
		const other = spawn('sleep', ['600'], { stdio: 'ignore' });
		try {
			await new Promise((r) => other.once('spawn', r));
			const started = startTime(other.pid!);
			expect(started).toMatch(/^\d+$/);
			writeFileSync(
				`${dataDir}.lock`,
				JSON.stringify({ pid: other.pid, start: String(Number(started) + 1) })
			);
			const handle = await openDatabase({ dataDir, from: dump() });
			await handle.close();
			// The same pid with its true start time is the holder: refused.
			writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: other.pid, start: started }));
			await expect(openDatabase({ dataDir })).rejects.toThrow(`in use by process ${other.pid}`);
		} finally {
			other.kill('SIGKILL');
		}
	}
);
