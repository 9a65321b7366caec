import { and, asc, desc, entityKind, eq, inArray, lte, sql } from 'drizzle-orm';
import { config } from './config.ts';
import type { Database, Transaction } from './database.ts';
import { logger, withoutAddresses } from './logger.ts';
import { sendMail, type Mail } from './mail.ts';
import { mailOutbox } from './schema.ts';

/**
 * The durable mail outbox. A change that tells someone by mail enqueues the message in its own
 * transaction (`enqueueMail`): the mail exists if and only if the change committed. A worker in
 * every process (`deliverDue`, started by app/database.ts) sends due rows and records each result.
 *
 * Exactly once, and where it is only at least once:
 * - PostgreSQL: each row is taken with `FOR UPDATE SKIP LOCKED` in a transaction of its own,
 *   sent while that lock is held, and marked sent in the same transaction. Workers in other
 *   processes and instances skip a taken row, so two never send the same row at once. A crash
 *   (kill -9, a lost connection) before the commit releases the lock and leaves the row pending:
 *   it is sent again, with the SAME Message-ID header (`<outbox-<id>@<host>>`).
 * - PGlite: one process owns the folder (its lock file), and workers in that process take turns
 *   (a promise chain per database), so no transaction is held while the mail server answers:
 *   PGlite runs one statement at a time and a transaction would stop every request meanwhile.
 *   The row is marked sent right after the mail server accepted it.
 * So a duplicate is possible only in the instant between the mail server's acceptance of the
 * message (its 250 reply) and the commit that marks the row sent: a process killed in that
 * instant sends that one message again after restart, with the same Message-ID, which receivers
 * and mail servers may use to drop the repeat. No crash loses a message.
 *
 * A failed attempt is tried again after 1 minute, doubling up to 6 hours; after 10 attempts, or at
 * once when the mail server refuses the recipient for good (5xx at RCPT TO), the row is 'failed'
 * with its last error (addresses removed) and waits for an admin to send it again.
 */

/** The PostgreSQL channel an enqueue announces on, heard by every instance's worker. */
export const mailChannel = 'mail_outbox';

/** Attempts before a message is given up as 'failed'. */
export const maxAttempts = 10;

/** The wait after the `attempts`-th failed attempt: 1 minute, doubling, at most 6 hours. */
export function retryDelayMs(attempts: number): number {
	return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60_000);
}

/** A message for the outbox: `key` names the notification, so enqueuing it twice keeps one. */
export interface OutboxMail extends Omit<Mail, 'messageId'> {
	/** `proposal:7:answer:3:user:ab`: what this mail tells whom. At most 200 characters. */
	key: string;
}

/** This process's workers, woken when a message is enqueued here (PGlite has no LISTEN). */
const wakers = new Set<() => void>();

/** Calls `wake` whenever this process enqueues a message; returns the way to stop. */
export function onMailEnqueued(wake: () => void): () => void {
	wakers.add(wake);
	return () => wakers.delete(wake);
}

function nudge(): void {
	for (const wake of wakers) wake();
}

/**
 * Puts a message in the outbox inside the caller's transaction: it is sent once that transaction
 * commits, and never if it rolls back. A key already there keeps its row (returns false).
 */
export async function enqueueMail(tx: Transaction | Database, mail: OutboxMail): Promise<boolean> {
	if (!mail.key || mail.key.length > 200) throw new Error('An outbox key is 1 to 200 characters');
	const rows = await tx
		.insert(mailOutbox)
		.values({
			key: mail.key,
			recipient: mail.to,
			subject: mail.subject,
			text: mail.text,
			html: mail.html ?? null,
			headers: mail.headers ?? {}
		})
		.onConflictDoNothing({ target: mailOutbox.key })
		.returning({ id: mailOutbox.id });
	if (rows.length === 0) return false;
	// Heard by every instance's worker once (and only if) the transaction commits.
	await tx.execute(sql`select pg_notify(${mailChannel}, '')`);
	nudge();
	return true;
}

/** The Message-ID of an outbox row: the same on every attempt, unique to the site. */
export function messageIdFor(id: number): string {
	const { origin, mail } = config();
	const fromDomain = /@([^\s<>@]+)>?\s*$/.exec(mail.from)?.[1];
	const host = origin ? new URL(origin).hostname : (fromDomain ?? 'localhost');
	return `<outbox-${id}@${host}>`;
}

export interface DeliveryReport {
	sent: number;
	/** Failed attempts that will be tried again. */
	retried: number;
	/** Messages given up ('failed'). */
	failed: number;
}

type Row = typeof mailOutbox.$inferSelect;
type Outcome = { sent: true } | { sent: false; error: string; permanent: boolean };

/** Chains of turns on PGlite databases: one message at a time per database in this process. */
const turns = new WeakMap<object, Promise<unknown>>();

const isPglite = (db: Database) =>
	(db.constructor as unknown as Record<symbol, string>)[entityKind] === 'PgliteDatabase';

/**
 * Sends up to `batch` due messages, one after another, each as described at the top of this file.
 * Returns what happened; stops early when nothing more is due or `signal` is aborted.
 */
export async function deliverDue(
	db: Database,
	options: { batch?: number; signal?: AbortSignal } = {}
): Promise<DeliveryReport> {
	const batch = options.batch ?? 20;
	const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
	const single = isPglite(db);
	for (let i = 0; i < batch && !options.signal?.aborted; i++) {
		const result = single ? await inTurn(db, () => deliverOneAlone(db)) : await deliverOneLocked(db);
		if (!result) break;
		report[result]++;
	}
	return report;
}

function inTurn<T>(db: Database, run: () => Promise<T>): Promise<T> {
	const before = turns.get(db) ?? Promise.resolve();
	const mine = before.then(run, run);
	turns.set(
		db,
		mine.catch(() => {})
	);
	return mine;
}

/** The oldest due row (or none). */
const dueRow = (db: Database | Transaction) =>
	db
		.select()
		.from(mailOutbox)
		.where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, sql`now()`)))
		.orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
		.limit(1);

/** PostgreSQL: lock one due row (skipping rows others hold), send it, record it, commit. */
function deliverOneLocked(db: Database): Promise<keyof DeliveryReport | undefined> {
	return db.transaction(async (tx) => {
		const [row] = await dueRow(tx).for('update', { skipLocked: true });
		if (!row) return undefined;
		return record(tx, row, await attempt(row));
	});
}

/** PGlite: this process alone holds the folder, and turns keep its workers apart. */
async function deliverOneAlone(db: Database): Promise<keyof DeliveryReport | undefined> {
	const [row] = await dueRow(db);
	if (!row) return undefined;
	return record(db, row, await attempt(row));
}

async function attempt(row: Row): Promise<Outcome> {
	try {
		await sendMail({
			to: row.recipient,
			subject: row.subject,
			text: row.text,
			html: row.html ?? undefined,
			headers: row.headers,
			messageId: messageIdFor(row.id)
		});
		return { sent: true };
	} catch (error) {
		const { responseCode, command } = error as { responseCode?: unknown; command?: unknown };
		const message = error instanceof Error ? error.message : String(error);
		return {
			sent: false,
			// The kept error names no person: the mail server's reply often quotes the address.
			error: withoutAddresses(message).slice(0, 1000),
			// The recipient refused for good: another try would be refused the same way.
			permanent: typeof responseCode === 'number' && responseCode >= 500 && command === 'RCPT TO'
		};
	}
}

async function record(db: Database | Transaction, row: Row, outcome: Outcome): Promise<keyof DeliveryReport> {
	const attempts = row.attempts + 1;
	if (outcome.sent) {
		await db
			.update(mailOutbox)
			.set({ status: 'sent', attempts, sentAt: sql`now()`, lastError: null })
			.where(eq(mailOutbox.id, row.id));
		return 'sent';
	}
	const giveUp = outcome.permanent || attempts >= maxAttempts;
	const delay = retryDelayMs(attempts);
	await db
		.update(mailOutbox)
		.set({
			status: giveUp ? 'failed' : 'pending',
			attempts,
			lastError: outcome.error,
			nextAttemptAt: giveUp ? sql`now()` : sql`now() + make_interval(secs => ${delay / 1000})`
		})
		.where(eq(mailOutbox.id, row.id));
	logger.warn(
		{ outbox: row.id, attempts, error: outcome.error, retryInMs: giveUp ? undefined : delay },
		giveUp ? 'Mail given up' : 'Mail not sent; trying again later'
	);
	return giveUp ? 'failed' : 'retried';
}

/**
 * A failed message back in the queue, due now with its attempts counted afresh; false when the
 * row is not (or no longer) failed.
 */
export async function requeueMail(tx: Transaction | Database, id: number): Promise<boolean> {
	const rows = await tx
		.update(mailOutbox)
		.set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()` })
		.where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'failed')))
		.returning({ id: mailOutbox.id });
	if (rows.length === 0) return false;
	await tx.execute(sql`select pg_notify(${mailChannel}, '')`);
	nudge();
	return true;
}

export interface OutboxFigures {
	pending: number;
	failed: number;
	/** Seconds the oldest pending message has waited (0 when none waits). */
	oldestPendingSeconds: number;
}

/** The queue's size for /metrics: one statement over the status index. */
export async function outboxFigures(db: Database): Promise<OutboxFigures> {
	const [row] = await db
		.select({
			pending: sql<number>`count(*) filter (where ${mailOutbox.status} = 'pending')`.mapWith(Number),
			failed: sql<number>`count(*) filter (where ${mailOutbox.status} = 'failed')`.mapWith(Number),
			oldest:
				sql<number>`coalesce(extract(epoch from now() - min(${mailOutbox.createdAt}) filter (where ${mailOutbox.status} = 'pending')), 0)`.mapWith(
					Number
				)
		})
		.from(mailOutbox)
		.where(inArray(mailOutbox.status, ['pending', 'failed']));
	return {
		pending: row?.pending ?? 0,
		failed: row?.failed ?? 0,
		oldestPendingSeconds: Math.max(0, Math.round(row?.oldest ?? 0))
	};
}

const listed = {
	id: mailOutbox.id,
	recipient: mailOutbox.recipient,
	subject: mailOutbox.subject,
	attempts: mailOutbox.attempts,
	nextAttemptAt: mailOutbox.nextAttemptAt,
	lastError: mailOutbox.lastError,
	createdAt: mailOutbox.createdAt,
	sentAt: mailOutbox.sentAt
};
/** What the admin page shows: the waiting (oldest first), the failed and the latest sent (newest first). */
export async function outboxQueue(db: Database, limit = 50) {
	const [pending, failed, sent, figures] = await Promise.all([
		db
			.select(listed)
			.from(mailOutbox)
			.where(eq(mailOutbox.status, 'pending'))
			.orderBy(asc(mailOutbox.createdAt), asc(mailOutbox.id))
			.limit(limit),
		db
			.select(listed)
			.from(mailOutbox)
			.where(eq(mailOutbox.status, 'failed'))
			.orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
			.limit(limit),
		db
			.select(listed)
			.from(mailOutbox)
			.where(eq(mailOutbox.status, 'sent'))
			.orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
			.limit(Math.min(limit, 20)),
		outboxFigures(db)
	]);
	return { pending, failed, sent, figures };
}

export type QueuedMail = Awaited<ReturnType<typeof outboxQueue>>['pending'][number];

/** Sent messages past `days` are deleted: they hold addresses and texts nobody needs any more. */
export async function pruneSentMail(db: Database, days = 30): Promise<number> {
	const rows = await db
		.delete(mailOutbox)
		.where(
			and(
				eq(mailOutbox.status, 'sent'),
				lte(mailOutbox.createdAt, sql`now() - make_interval(days => ${days})`)
			)
		)
		.returning({ id: mailOutbox.id });
	return rows.length;
}
