import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { openDatabase, type DatabaseHandle } from './database.ts';
import { startListener } from './listener.ts';
import { enqueueMail, mailChannel } from './outbox.ts';
import { bumpRevision, readRevision, revisionChannel } from './revision.ts';

const adminUrl = process.env.TEST_DATABASE_URL;

// LISTEN/NOTIFY is PostgreSQL's; PGlite has one process and nothing to listen to.
describe.runIf(adminUrl)('one LISTEN connection hears every channel, and comes back when dropped', () => {
	const name = `listener_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const url = new URL(adminUrl ?? 'postgres://x/');
	url.pathname = `/${name}`;
	let writer: DatabaseHandle;
	const admin = new pg.Client({ connectionString: adminUrl });

	/** The sessions on the test's database that LISTEN, with what they last ran. */
	const listening = async () =>
		(
			await admin.query<{ pid: number; query: string }>(
				`select pid, query from pg_stat_activity where datname = $1 and query ilike 'listen%'`,
				[name]
			)
		).rows;

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

	test('both channels on one session; a rolled-back write announces nothing; after pg_terminate_backend both are heard again', async () => {
		const revisions: string[] = [];
		let mails = 0;
		const listens = { revision: 0, mail: 0 };
		const listener = startListener(url.toString());
		try {
			listener.subscribe(
				revisionChannel,
				(r) => revisions.push(r),
				() => listens.revision++
			);
			listener.subscribe(
				mailChannel,
				() => mails++,
				() => listens.mail++
			);
			await expect.poll(() => listens).toEqual({ revision: 1, mail: 1 });
			const [session] = await listening();
			expect(await listening()).toHaveLength(1);
			expect(session!.query).toMatch(new RegExp(`listen ${revisionChannel}`, 'i'));
			expect(session!.query).toMatch(new RegExp(`listen ${mailChannel}`, 'i'));

			await writer.db.transaction((tx) => bumpRevision(tx));
			await expect(
				writer.db.transaction(async (tx) => {
					await bumpRevision(tx);
					await enqueueMail(tx, { key: 'listener:rolled-back', to: 'a@example.se', subject: 's', text: 't' });
					throw new Error('rolled back');
				})
			).rejects.toThrow('rolled back');
			await enqueueMail(writer.db, { key: 'listener:1', to: 'a@example.se', subject: 's', text: 't' });
			await expect.poll(() => mails).toBe(1);
			expect(revisions).toEqual([await readRevision(writer.db)]);

			// What a restart, a failover or an administrator does to the listening session.
			await admin.query('select pg_terminate_backend($1)', [session!.pid]);
			// Back with back-off (0.25 s first), both channels listened to again on one new session.
			await expect.poll(() => listens, { timeout: 5000 }).toEqual({ revision: 2, mail: 2 });
			const after = await listening();
			expect(after).toHaveLength(1);
			expect(after[0]!.pid).not.toBe(session!.pid);
			await writer.db.transaction((tx) => bumpRevision(tx));
			await enqueueMail(writer.db, { key: 'listener:2', to: 'a@example.se', subject: 's', text: 't' });
			const revision = await readRevision(writer.db);
			await expect.poll(() => revisions.at(-1)).toBe(revision);
			await expect.poll(() => mails).toBe(2);
		} finally {
			await listener.close();
		}
		// Closed: the session is gone.
		await expect.poll(async () => (await listening()).length).toBe(0);
	});

	test('a subscriber that joins a channel already heard is told at once, and an unsubscribed one hears nothing', async () => {
		const listener = startListener(url.toString());
		try {
			let first = 0;
			let firstListens = 0;
			let second = 0;
			let secondListens = 0;
			const unsubscribe = listener.subscribe(
				mailChannel,
				() => first++,
				() => firstListens++
			);
			await expect.poll(() => firstListens).toBe(1);
			listener.subscribe(
				mailChannel,
				() => second++,
				() => secondListens++
			);
			expect(secondListens).toBe(1);
			unsubscribe();
			await enqueueMail(writer.db, { key: 'listener:3', to: 'a@example.se', subject: 's', text: 't' });
			await expect.poll(() => second).toBe(1);
			expect(first).toBe(0);
		} finally {
			await listener.close();
		}
	});
});
