import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';
import { contentVersion } from '../kernel/content-version.ts';
import { bumpRevision, listenForRevisions, readRevision, revisionChannel } from '../kernel/revision.ts';
import { runSystemChange } from '../kernel/write.ts';
import { appDatabase, closeAppDatabase } from './database.ts';

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

// LISTEN/NOTIFY is PostgreSQL's way between instances; PGlite has one process and polls.
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

	test('the app of another instance, polling once a minute, sees a write within 500 ms', async () => {
		const saved = { ...process.env };
		const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-listen-'));
		Object.assign(process.env, {
			DATABASE_URL: url.toString(),
			REVISION_POLL_MS: '60000',
			SEED_DEMO: 'false',
			MEDIA_DIR: path.join(dir, 'media')
		});
		try {
			await appDatabase();
			// The app's listener is in place once its session shows LISTEN in pg_stat_activity (the
			// mail outbox's worker listens on a connection of its own).
			await expect
				.poll(
					async () =>
						(
							await admin.query(
								`select count(*)::int as n from pg_stat_activity where datname = $1 and query ilike $2`,
								[name, `listen ${revisionChannel}`]
							)
						).rows[0].n
				)
				.toBe(1);
			for (let round = 0; round < 3; round++) {
				// The write goes through the other handle: this process's own counter (the part after
				// the colon) moves too, so only the shared part shows what the listener delivered.
				await publicChange(writer);
				const revision = await readRevision(writer.db);
				const waited = await until(() => contentVersion().startsWith(`${revision}:`), 500);
				expect(contentVersion().split(':')[0]).toBe(revision);
				expect(waited).toBeLessThan(500);
			}
		} finally {
			await closeAppDatabase();
			process.env = saved;
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test('a rolled-back write announces nothing; a dropped listener reconnects and hears the next one', async () => {
		const heard: string[] = [];
		let reconnected = 0;
		const listener = listenForRevisions(
			url.toString(),
			(r) => heard.push(r),
			() => reconnected++
		);
		try {
			await listener.started;
			await publicChange(writer);
			await expect(
				writer.db.transaction(async (tx) => {
					await bumpRevision(tx);
					throw new Error('rolled back');
				})
			).rejects.toThrow('rolled back');
			await until(() => heard.length > 0, 300);
			expect(heard).toEqual([await readRevision(writer.db)]);

			// What a restart, a failover or an administrator does to the listening session.
			await admin.query(
				`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query ilike $2`,
				[name, `listen ${revisionChannel}`]
			);
			await until(() => reconnected > 0, 5000);
			expect(reconnected).toBe(1);
			await publicChange(writer);
			const revision = await readRevision(writer.db);
			await until(() => heard.includes(revision), 500);
			expect(heard.at(-1)).toBe(revision);
		} finally {
			await listener.close();
		}
	});
});
