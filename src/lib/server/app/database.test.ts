import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';
import { contentVersion } from '../kernel/content-version.ts';
import { resetMailTransport } from '../kernel/mail.ts';
import { enqueueMail, mailChannel } from '../kernel/outbox.ts';
import { readRevision, revisionChannel } from '../kernel/revision.ts';
import { startCountingMailServer } from '../test/counting-mail-server.ts';
import { runSystemChange } from '../kernel/write.ts';
import { rowsOf } from '../test/rows.ts';
import { appDatabase, closeAppDatabase, whileAnswering } from './database.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

/** A public change, as any command makes one: its transaction raises the content revision. */
const publicChange = (handle: DatabaseHandle) =>
	runSystemChange(handle.db, async () => ({ result: undefined, audit: [], public: true }));

const until = async (done: () => boolean, ms: number) => {
	const started = Date.now();
	while (!done()) {
		if (Date.now() - started > ms) return Date.now() - started;
		await new Promise((r) => setTimeout(r, 5));
	}
	return Date.now() - started;
};

// LISTEN/NOTIFY is PostgreSQL's way between instances; PGlite has one process and polls. How the
// listener reconnects is in kernel/listener.test.ts.
describe.runIf(adminUrl)('instances hear of each other’s writes at once (PostgreSQL LISTEN/NOTIFY)', () => {
	const name = `listen_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const url = new URL(adminUrl ?? 'postgres://x/');
	url.pathname = `/${name}`;
	let writer: DatabaseHandle;
	const admin = new pg.Client({ connectionString: adminUrl });

	beforeAll(async () => {
		await admin.connect();
		await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
		writer = await openDatabase({ url: url.toString() });
	});
	afterAll(async () => {
		await writer?.close();
		await admin.query(`drop database if exists ${name} with (force)`);
		await admin.end();
	});

	test('the app of another instance, polling once a minute, sees a write within 500 ms and sends queued mail within a second, over one LISTEN connection', async () => {
		const saved = { ...process.env };
		const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-listen-'));
		const smtp = await startCountingMailServer();
		Object.assign(process.env, {
			DATABASE_URL: url.toString(),
			REVISION_POLL_MS: '60000',
			SEED_DEMO: 'false',
			MEDIA_DIR: path.join(dir, 'media'),
			SMTP_URL: smtp.url
		});
		resetMailTransport();
		try {
			await appDatabase();
			// The process listens once its session shows LISTEN in pg_stat_activity: one session,
			// for both channels (the writer's pool has none).
			await expect
				.poll(async () =>
					(
						await admin.query<{ query: string }>(
							`select query from pg_stat_activity where datname = $1 and query ilike 'listen%'`,
							[name]
						)
					).rows.map((r) => r.query.toLowerCase().split(/;\s*/).sort())
				)
				.toEqual([[`listen ${revisionChannel}`, `listen ${mailChannel}`]]);
			for (let round = 0; round < 3; round++) {
				// The write goes through the other handle: this process's own counter (the part after
				// the colon) moves too, so only the shared part shows what the listener delivered.
				await publicChange(writer);
				const revision = await readRevision(writer.db);
				const waited = await until(() => contentVersion().startsWith(`${revision}:`), 500);
				expect(contentVersion().split(':')[0]).toBe(revision);
				expect(waited).toBeLessThan(500);
			}
			// Enqueued by the other instance: its NOTIFY wakes this process's mail worker (no tick runs).
			const started = Date.now();
			await enqueueMail(writer.db, { key: 'listen:1', to: 'ett@example.se', subject: 'Ett', text: 'x' });
			await smtp.until(1, 1000);
			expect(Date.now() - started).toBeLessThan(1000);
		} finally {
			await closeAppDatabase();
			process.env = saved;
			resetMailTransport();
			await smtp.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

// On shutdown the server waits for its connections; a client that left has none, but the page it
// asked for is still being made, and its queries must still find the database open.
describe('shutdown waits for the answers under way before the database closes', () => {
	const kinds = [{ kind: 'pglite' }, ...(adminUrl ? [{ kind: 'postgres' }] : [])];
	test.each(kinds)('on $kind', async ({ kind }) => {
		const saved = { ...process.env };
		const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-closing-'));
		const name = `closing_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		const admin = new pg.Client({ connectionString: adminUrl });
		const url = new URL(adminUrl ?? 'postgres://x/');
		url.pathname = `/${name}`;
		if (kind === 'postgres') {
			await admin.connect();
			await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
		}
		Object.assign(process.env, {
			DATABASE_URL: kind === 'postgres' ? url.toString() : '',
			DATA_DIR: path.join(dir, 'db'),
			SEED_DEMO: 'false',
			MEDIA_DIR: path.join(dir, 'media')
		});
		try {
			const { db } = await appDatabase();
			let go = () => {};
			const queried = new Promise<void>((resolve) => (go = resolve));
			// A render that has one query still to make when the shutdown begins.
			const render = whileAnswering(
				(async () => {
					await queried;
					return (await rowsOf<{ one: number }>(db, sql`select 1 as one`))[0]?.one;
				})()
			);
			let closed = false;
			const closing = closeAppDatabase().then(() => (closed = true));
			await new Promise((r) => setTimeout(r, 200));
			expect(closed).toBe(false);
			go();
			await expect(render).resolves.toBe(1);
			await closing;
			expect(closed).toBe(true);
		} finally {
			await closeAppDatabase();
			process.env = saved;
			rmSync(dir, { recursive: true, force: true });
			if (kind === 'postgres') {
				await admin.query(`drop database if exists ${name} with (force)`);
				await admin.end();
			}
		}
	});
});
