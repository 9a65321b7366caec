import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { like } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, inject, it } from 'vitest';
import { startCountingMailServer } from '../test/counting-mail-server.ts';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { messageIdFor } from './outbox.ts';
import { mailOutbox } from './schema.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'outbox-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Messages in the queue when the workers start. */
const messages = 300;

/**
 * A mail worker in a process of its own (outbox-child.ts), started before its database is ready
 * so that loading its modules overlaps the set-up. `start` hands it its database.
 */
function aWorker(smtpUrl: string) {
	const child = spawn(process.execPath, [new URL('./outbox-child.ts', import.meta.url).pathname], {
		stdio: ['pipe', 'pipe', 'pipe'],
		env: { ...process.env, SMTP_URL: smtpUrl }
	});
	let err = '';
	child.stdin.on('error', () => {});
	child.stderr.on('data', (c: Buffer) => (err += c.toString()));
	const ended = new Promise<void>((r) => child.once('exit', () => r()));
	const ready = new Promise<void>((resolve, reject) => {
		child.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
		void ended.then(() => reject(new Error(`The mail worker ended before it was ready:\n${err}`)));
	});
	return {
		ready,
		ended,
		/** Opens `target` (a new PGlite folder from `dump`), enqueues `messages`, then sends. */
		start: (target: string, mode: 'run' | 'drain', messages: number, dump?: string) =>
			child.stdin.write(`${[target, mode, messages, dump].filter((a) => a !== undefined).join(' ')}\n`),
		/** SIGKILL, and waits until it is reaped (its PGlite lock then names a dead process). */
		kill: async () => {
			child.kill('SIGKILL');
			await ended;
		}
	};
}

type Kind = {
	name: 'pglite' | 'postgres';
	/** Mail workers running at once (PGlite: one process owns the folder). */
	workers: number;
	start(): Promise<{
		open(): Promise<DatabaseHandle>;
		target: string;
		dump?: string;
		done(): Promise<void>;
	}>;
};

const kinds: Kind[] = [
	{
		name: 'pglite',
		workers: 1,
		start: async () => {
			const target = path.join(dir, 'pglite');
			return {
				target,
				// The first worker makes the folder from the prepared database's files.
				dump: inject('pgliteDump'),
				open: () => openDatabase({ dataDir: target }),
				done: async () => {}
			};
		}
	},
	...(process.env.TEST_DATABASE_URL
		? [
				{
					name: 'postgres' as const,
					workers: 2,
					start: async () => {
						const admin = process.env.TEST_DATABASE_URL!;
						const name = `outbox_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
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
							open: () => openDatabase({ url: url.toString() }),
							done: () => run(`drop database if exists ${name} with (force)`)
						};
					}
				}
			]
		: [])
];

it.concurrent.for(kinds)(
	'kill -9 of a mail worker mid-run on $name: every message arrives, and only the one in flight may arrive twice',
	{ timeout: 60_000 },
	async (kind, { expect }) => {
		const smtp = await startCountingMailServer();
		const smtpUrl = `${smtp.url}?pool=true`;
		const workers = Array.from({ length: kind.workers }, () => aWorker(smtpUrl));
		// PGlite: the process that takes over after the crash, loading meanwhile.
		const restarted = kind.name === 'pglite' ? aWorker(smtpUrl) : undefined;
		const { target, open, dump, done } = await kind.start();
		let handle: DatabaseHandle | undefined;
		try {
			// Each worker enqueues the same messages as it starts (the keys keep one row each) and
			// sends them: as if the commands that made them had just committed.
			for (const w of workers) w.start(target, 'run', messages, dump);
			await Promise.all(workers.map((w) => w.ready));

			// Killed at a random point of the run: an arrival, then 0 to 10 ms, so that the kill falls
			// anywhere: before a message's commit (the server has it, the row is still pending), after
			// it, or mid-send.
			const killAt = 40 + Math.floor(Math.random() * 160);
			await smtp.until(killAt, 20_000);
			await new Promise((r) => setTimeout(r, Math.random() * 10));
			await workers[0]!.kill();
			const atKill = smtp.received.length;
			expect(atKill).toBeLessThan(messages);

			// A new worker finishes: on PostgreSQL the other instance goes on; PGlite's folder is
			// reopened by a restarted process, which sends what is due and exits.
			if (restarted) {
				restarted.start(target, 'drain', 0);
				await restarted.ended;
				handle = await open();
			} else {
				handle ??= await open();
				const sent = async () =>
					(await handle!.db.select({ status: mailOutbox.status }).from(mailOutbox)).filter(
						(r) => r.status === 'sent'
					).length;
				await expect.poll(sent, { timeout: 20_000, interval: 50 }).toBe(messages);
				await Promise.all(workers.slice(1).map((w) => w.kill()));
			}

			const rows = await handle.db
				.select({ id: mailOutbox.id, status: mailOutbox.status })
				.from(mailOutbox)
				.where(like(mailOutbox.key, 'crash:%'));
			expect(rows).toHaveLength(messages);
			expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
			const counts = smtp.perMessageId();
			const missing = rows.filter((r) => !counts.has(messageIdFor(r.id)));
			const repeated = [...counts].filter(([, n]) => n > 1);
			const repeats = repeated.reduce((sum, [, n]) => sum + n - 1, 0);
			console.log(
				`outbox kill -9 on ${kind.name}: killed after ${atKill} of ${messages} arrivals; ` +
					`${counts.size} distinct messages, ${missing.length} missing, ${repeats} sent twice` +
					(repeats ? ` (${repeated.map(([id]) => id).join(', ')}: accepted, killed before its commit)` : '')
			);
			expect(missing).toEqual([]);
			expect(counts.size).toBe(messages);
			// The one message being sent when the process died, if the kill fell between the mail
			// server's acceptance and the commit; it came again with the same Message-ID.
			expect(repeats).toBeLessThanOrEqual(1);
		} finally {
			await Promise.all([...workers, ...(restarted ? [restarted] : [])].map((w) => w.kill()));
			await handle?.close();
			await smtp.close();
			await done();
		}
	}
);
