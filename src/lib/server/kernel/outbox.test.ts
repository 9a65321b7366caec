import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { startCountingMailServer, type CountingMailServer } from '../test/counting-mail-server.ts';
import type { DatabaseHandle } from './database.ts';
import { resetMailTransport } from './mail.ts';
import { mailOutbox } from './schema.ts';
import {
	deliverDue,
	enqueueMail,
	maxAttempts,
	messageIdFor,
	outboxFigures,
	outboxQueue,
	requeueMail,
	retryDelayMs,
	type OutboxMail
} from './outbox.ts';
import { startListener } from './listener.ts';
import { startMailWorker } from './outbox-worker.ts';

const mail = (n: number | string, extra: Partial<OutboxMail> = {}): OutboxMail => ({
	key: `test:${n}`,
	to: `person-${n}@example.se`,
	subject: `Nytt svar ${n}`,
	text: `Hej! Ett förslag du följer har fått svar (${n}).`,
	...extra
});

/** Makes every pending row due now, as if its back-off had passed. */
const timePasses = (handle: DatabaseHandle) =>
	handle.db
		.update(mailOutbox)
		.set({ nextAttemptAt: sql`now()` })
		.where(eq(mailOutbox.status, 'pending'));

const rowOf = async (handle: DatabaseHandle, key: string) =>
	(await handle.db.select().from(mailOutbox).where(eq(mailOutbox.key, key)))[0]!;

describe.each(testDatabases)('the mail outbox on $name', ({ open }) => {
	let handle: DatabaseHandle;
	let smtp: CountingMailServer;
	const saved = { SMTP_URL: process.env.SMTP_URL, ORIGIN: process.env.ORIGIN };

	beforeAll(async () => {
		handle = await open();
		smtp = await startCountingMailServer();
		// Pooled, as operations.md advises: the test server waits 100 ms before greeting each connection.
		process.env.SMTP_URL = `${smtp.url}?pool=true`;
		resetMailTransport();
	});
	afterAll(async () => {
		resetMailTransport();
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
		}
		await smtp?.close();
		await handle?.close();
	});
	beforeEach(async () => {
		await handle.db.delete(mailOutbox);
		smtp.received.length = 0;
		smtp.refuse(0);
		smtp.slowness = 0;
	});

	it('sends nothing for a change that rolled back, and one message for a key enqueued twice', async () => {
		await expect(
			handle.db.transaction(async (tx) => {
				await enqueueMail(tx, mail('rolled-back'));
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		await handle.db.transaction(async (tx) => {
			expect(await enqueueMail(tx, mail('kept'))).toBe(true);
			expect(await enqueueMail(tx, mail('kept', { subject: 'Another text' }))).toBe(false);
		});
		expect(await enqueueMail(handle.db, mail('kept'))).toBe(false);

		expect(await deliverDue(handle.db)).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 0, failed: 0 });
		expect(smtp.received.map((m) => m.to)).toEqual([['person-kept@example.se']]);
		expect(smtp.received[0]!.headers.get('subject')).toBe('Nytt svar kept');
		const row = await rowOf(handle, 'test:kept');
		expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
		expect(row.sentAt).toBeInstanceOf(Date);
	});

	it('carries List-Unsubscribe, List-Unsubscribe-Post and a Message-ID of its own row', async () => {
		process.env.ORIGIN = 'https://partnerskap.example.se';
		try {
			const unsubscribe = '<https://partnerskap.example.se/unsubscribe/abc123>';
			await enqueueMail(
				handle.db,
				mail('headers', {
					headers: {
						'List-Unsubscribe': unsubscribe,
						'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
					}
				})
			);
			const { id } = await rowOf(handle, 'test:headers');
			await deliverDue(handle.db);
			const headers = smtp.received[0]!.headers;
			expect(headers.get('list-unsubscribe')).toBe(unsubscribe);
			expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
			expect(headers.get('message-id')).toBe(`<outbox-${id}@partnerskap.example.se>`);
		} finally {
			delete process.env.ORIGIN;
		}
		// Without ORIGIN, the sender's domain names the site.
		process.env.MAIL_FROM = 'Partnerskap <no-reply@kommun.example.se>';
		try {
			expect(messageIdFor(7)).toBe('<outbox-7@kommun.example.se>');
		} finally {
			delete process.env.MAIL_FROM;
		}
	});

	it('two workers deliver 200 messages, each exactly once', async () => {
		await handle.db.transaction(async (tx) => {
			for (let i = 0; i < 200; i++) await enqueueMail(tx, mail(i));
		});
		const worker = async () => {
			const total = { sent: 0, retried: 0, failed: 0 };
			for (;;) {
				const report = await deliverDue(handle.db, { batch: 7 });
				total.sent += report.sent;
				if (report.sent + report.retried + report.failed === 0) return total;
			}
		};
		const [a, b] = await Promise.all([worker(), worker()]);
		// Both took part, and together they sent each message once.
		expect(a.sent).toBeGreaterThan(0);
		expect(b.sent).toBeGreaterThan(0);
		expect(a.sent + b.sent).toBe(200);
		const counts = smtp.perMessageId();
		expect(counts.size).toBe(200);
		expect([...counts.values()].every((n) => n === 1)).toBe(true);
		expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(200);
		expect(await outboxFigures(handle.db)).toEqual({ pending: 0, failed: 0, oldestPendingSeconds: 0 });
	});

	it('a mail server that refuses the first attempts: tried again with back-off, delivered once', async () => {
		smtp.refuse(3, 451);
		await enqueueMail(handle.db, mail('refused'));
		const waits: number[] = [];
		for (let i = 0; i < 3; i++) {
			expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 1, failed: 0 });
			// Not due again before its back-off has passed.
			expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 0, failed: 0 });
			const row = await rowOf(handle, 'test:refused');
			expect(row).toMatchObject({ status: 'pending', attempts: i + 1 });
			expect(row.lastError).toContain('451');
			// The mail server's reply named the address; the kept error does not.
			expect(row.lastError).not.toContain('@');
			waits.push(row.nextAttemptAt.getTime() - Date.now());
			await timePasses(handle);
		}
		// 1, 2, 4 minutes (give or take the test's own time).
		waits.forEach((wait, i) => expect(Math.abs(wait - retryDelayMs(i + 1))).toBeLessThan(5_000));
		expect(await deliverDue(handle.db)).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(smtp.refused).toBeGreaterThanOrEqual(3);
		expect(smtp.received).toHaveLength(1);
		expect(await rowOf(handle, 'test:refused')).toMatchObject({ status: 'sent', attempts: 4 });
	});

	it('gives up after 10 failed attempts, keeps the error, and sends again when an admin asks', async () => {
		expect([1, 2, 3, 9, 10].map(retryDelayMs)).toEqual([
			60_000,
			120_000,
			240_000,
			256 * 60_000,
			6 * 3_600_000
		]);
		smtp.refuse(maxAttempts, 452);
		await enqueueMail(handle.db, mail('hopeless'));
		for (let i = 1; i < maxAttempts; i++) {
			expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 1, failed: 0 });
			await timePasses(handle);
		}
		expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 0, failed: 1 });
		const failed = await rowOf(handle, 'test:hopeless');
		expect(failed).toMatchObject({ status: 'failed', attempts: maxAttempts });
		expect(failed.lastError).toMatch(/452/);
		expect(await outboxFigures(handle.db)).toMatchObject({ pending: 0, failed: 1 });
		const queue = await outboxQueue(handle.db);
		expect(queue.failed.map((m) => m.subject)).toEqual(['Nytt svar hopeless']);
		// Nothing more happens by itself.
		await timePasses(handle);
		expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 0, failed: 0 });

		expect(await requeueMail(handle.db, failed.id)).toBe(true);
		expect(await requeueMail(handle.db, failed.id)).toBe(false);
		expect(await deliverDue(handle.db)).toEqual({ sent: 1, retried: 0, failed: 0 });
		expect(smtp.received).toHaveLength(1);
		expect(smtp.received[0]!.headers.get('message-id')).toBe(messageIdFor(failed.id));
	});

	it('a recipient refused for good (550) is failed at once, without ten tries', async () => {
		smtp.refuse(1, 550);
		await enqueueMail(handle.db, mail('unknown'));
		expect(await deliverDue(handle.db)).toEqual({ sent: 0, retried: 0, failed: 1 });
		expect(await rowOf(handle, 'test:unknown')).toMatchObject({ status: 'failed', attempts: 1 });
	});

	it('a slow mail server holds up no request: the database answers while a message is being sent', async () => {
		smtp.slowness = 600;
		await enqueueMail(handle.db, mail('slow'));
		const sending = deliverDue(handle.db);
		await smtp.until(1);
		// The mail server has the message and has not answered yet: a page's read and a write go on.
		const started = Date.now();
		await handle.db.select({ id: mailOutbox.id }).from(mailOutbox);
		await enqueueMail(handle.db, mail('meanwhile'));
		expect(Date.now() - started).toBeLessThan(300);
		expect(await sending).toEqual({ sent: 2, retried: 0, failed: 0 });
	});

	it('the worker sends what was waiting at its start and what is enqueued later, and stops cleanly', async () => {
		await enqueueMail(handle.db, mail('waiting'));
		// PostgreSQL: the worker hears the commit's NOTIFY through a listener, as the app's process has.
		const client = (handle.db as unknown as { $client: { options?: { connectionString?: string } } }).$client;
		const url = client.options?.connectionString;
		const listener = url ? startListener(url) : undefined;
		const worker = startMailWorker(handle.db, { batch: 5, listener });
		try {
			await smtp.until(1);
			// Woken by the enqueue (its NOTIFY, or on PGlite the enqueue itself): no tick runs here.
			await handle.db.transaction(async (tx) => {
				for (let i = 0; i < 12; i++) await enqueueMail(tx, mail(`later-${i}`));
			});
			await smtp.until(13);
		} finally {
			await worker.stop();
			await listener?.close();
		}
		expect(smtp.perMessageId().size).toBe(13);
		// Stopped: what is enqueued now waits for the next process.
		await enqueueMail(handle.db, mail('after-stop'));
		await new Promise((r) => setTimeout(r, 100));
		expect(smtp.received).toHaveLength(13);
		const rows = await handle.db
			.select({ status: mailOutbox.status })
			.from(mailOutbox)
			.orderBy(asc(mailOutbox.id));
		expect(rows.map((r) => r.status)).toEqual([...Array(13).fill('sent'), 'pending']);
	});
});
