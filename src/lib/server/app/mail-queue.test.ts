import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { everyRole, type TestActor } from '../test/actors.ts';
import { startCountingMailServer, type CountingMailServer } from '../test/counting-mail-server.ts';
import { openDatabase, type DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { problemsIn } from '../kernel/http.ts';
import { resetMailTransport } from '../kernel/mail.ts';
import { enqueueMail, mailChannel, messageIdFor } from '../kernel/outbox.ts';
import { auditLog, mailOutbox } from '../kernel/schema.ts';
import type { Role } from '#lib/roles.ts';
import { appDatabase, closeAppDatabase } from './database.ts';
import { appStats } from './stats.ts';
import { mailQueue, resendMail } from './mail-queue.ts';

const form = (values: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) f.append(k, v);
	return f;
};

describe.each(testDatabases)('the mail queue page’s reads and its “send again” on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let failedId: number;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		await enqueueMail(h.db, { key: 'queue:waiting', to: 'vantar@example.se', subject: 'Väntar', text: 'x' });
		await enqueueMail(h.db, { key: 'queue:failed', to: 'fel@example.se', subject: 'Gav upp', text: 'x' });
		await h.db
			.update(mailOutbox)
			.set({ status: 'failed', attempts: 10, lastError: '452 Mailbox full' })
			.where(eq(mailOutbox.key, 'queue:failed'));
		failedId = (await h.db.select().from(mailOutbox).where(eq(mailOutbox.key, 'queue:failed')))[0]!.id;
	});
	afterAll(() => h?.close());

	it('shows admins the waiting and the failed with their error; nobody else', async () => {
		const queue = await mailQueue(h.db, people.admin);
		expect(queue.pending.map((m) => [m.recipient, m.subject, m.attempts])).toEqual([
			['vantar@example.se', 'Väntar', 0]
		]);
		expect(queue.failed.map((m) => [m.subject, m.attempts, m.lastError])).toEqual([
			['Gav upp', 10, '452 Mailbox full']
		]);
		expect(queue.figures).toMatchObject({ pending: 1, failed: 1 });
		for (const role of ['editor', 'author', 'reader'] as const) {
			await expect(mailQueue(h.db, people[role])).rejects.toThrow(ForbiddenError);
		}
		await expect(mailQueue(h.db, null)).rejects.toThrow(ForbiddenError);
	});

	it('an admin sends a failed message again: due now, ten new attempts, audited; twice is a message', async () => {
		await expect(resendMail(h.db, people.editor, form({ id: String(failedId) }))).rejects.toThrow(
			ForbiddenError
		);
		expect(await resendMail(h.db, people.admin, form({ id: String(failedId) }))).toBe(failedId);
		const [row] = await h.db.select().from(mailOutbox).where(eq(mailOutbox.id, failedId));
		expect(row).toMatchObject({ status: 'pending', attempts: 0 });
		expect(row!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
		const audited = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'mail.resend'), eq(auditLog.subject, `mail:${failedId}`)));
		expect(audited.map((a) => a.actorId)).toEqual([people.admin.id]);

		// Already back in the queue: the form says so, in both languages.
		const again = await resendMail(h.db, people.admin, form({ id: String(failedId) })).catch((e) => e);
		expect(again).toBeInstanceOf(ValidationError);
		expect(problemsIn(again, 'sv')).toEqual([
			{
				field: 'id',
				message: 'Brev: Brevet är inte längre misslyckat: det har redan lagts i kön igen eller skickats.'
			}
		]);
		expect(problemsIn(again, 'en')[0]!.message).toMatch(/^Message: The message is no longer failed/);
		const bad = await resendMail(h.db, people.admin, form({ id: 'x1' })).catch((e) => e);
		expect(bad.problems).toEqual([{ field: 'id', code: 'invalidId' }]);
	});
});

/**
 * The app's own worker (app/database.ts): PostgreSQL when TEST_DATABASE_URL is set (an enqueue in
 * another instance wakes it through NOTIFY), else PGlite in a folder (an enqueue in the process).
 */
describe('the app sends queued mail by itself, at once, and reports the queue to /metrics', () => {
	const adminUrl = process.env.TEST_DATABASE_URL;
	const name = `mailqueue_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-mail-'));
	const saved = { ...process.env };
	let smtp: CountingMailServer;
	let other: DatabaseHandle | undefined;

	beforeAll(async () => {
		smtp = await startCountingMailServer();
		Object.assign(process.env, {
			SMTP_URL: `${smtp.url}?pool=true`,
			// No tick during the test: what arrives was woken by the enqueue.
			REVISION_POLL_MS: '600000',
			SEED_DEMO: 'false',
			MEDIA_DIR: path.join(dir, 'media'),
			DATA_DIR: path.join(dir, 'db')
		});
		resetMailTransport();
		if (adminUrl) {
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
			await admin.end();
			const url = new URL(adminUrl);
			url.pathname = `/${name}`;
			process.env.DATABASE_URL = url.toString();
			other = await openDatabase({ url: url.toString() });
		} else {
			delete process.env.DATABASE_URL;
		}
	});
	afterAll(async () => {
		await closeAppDatabase();
		await other?.close();
		process.env = saved;
		resetMailTransport();
		await smtp?.close();
		if (adminUrl) {
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			await admin.query(`drop database if exists ${name} with (force)`);
			await admin.end();
		}
		rmSync(dir, { recursive: true, force: true });
	});

	it('sends within a second of the commit, and /metrics shows the queue', async () => {
		const app = await appDatabase();
		const writer = other ?? app;
		if (adminUrl) {
			// The worker listens once its session shows LISTEN.
			const admin = new pg.Client({ connectionString: adminUrl });
			await admin.connect();
			try {
				await expect
					.poll(
						async () =>
							(
								await admin.query(
									`select count(*)::int as n from pg_stat_activity where datname = $1 and query ilike $2`,
									[name, `%listen ${mailChannel}%`]
								)
							).rows[0].n
					)
					.toBe(1);
			} finally {
				await admin.end();
			}
		}
		const started = Date.now();
		await writer.db.transaction(async (tx) => {
			await enqueueMail(tx, { key: 'app:1', to: 'ett@example.se', subject: 'Ett', text: 'x' });
			await enqueueMail(tx, { key: 'app:2', to: 'tva@example.se', subject: 'Två', text: 'x' });
		});
		await smtp.until(2, 1000);
		expect(Date.now() - started).toBeLessThan(1000);
		// Marked sent just after the mail server's reply.
		await expect
			.poll(async () => (await appStats()).mailQueue)
			.toEqual({ pending: 0, failed: 0, oldestPendingSeconds: 0 });
		const ids = (await app.db.select({ id: mailOutbox.id }).from(mailOutbox)).map((r) => messageIdFor(r.id));
		expect([...smtp.perMessageId().keys()].sort()).toEqual(ids.sort());

		await writer.db
			.insert(mailOutbox)
			.values({ key: 'app:failed', recipient: 'x@example.se', subject: 's', text: 't', status: 'failed' });
		await writer.db.insert(mailOutbox).values({
			key: 'app:later',
			recipient: 'y@example.se',
			subject: 's',
			text: 't',
			createdAt: sql`now() - interval '3 minutes'`,
			nextAttemptAt: sql`now() + interval '1 hour'`
		});
		const stats = await appStats();
		expect(stats.mailQueue).toMatchObject({ pending: 1, failed: 1 });
		expect(stats.mailQueue!.oldestPendingSeconds).toBeGreaterThanOrEqual(179);
	});
});
