import { sql } from 'drizzle-orm';
import {
	bigint,
	bigserial,
	index,
	integer,
	jsonb,
	pgTable,
	smallint,
	text,
	timestamp
} from 'drizzle-orm/pg-core';

/**
 * One row whose number every content write raises in its own transaction. Each app instance
 * polls it, so caches in every instance notice a publication made by another.
 */
export const contentRevision = pgTable('content_revision', {
	id: smallint('id').primaryKey().default(1),
	revision: bigint('revision', { mode: 'number' }).notNull().default(0)
});

/**
 * Every word of the public texts the site search looks in (titles, teasers, names, summaries,
 * offers, goals), folded as `fold.ts` folds them, once each: a typo is corrected against these
 * few thousand words through their trigram index, instead of comparing it with every text.
 * Remade from the texts when the content has changed since (app/search-words.ts); its index
 * takes the words straight in (no pending list: a lookup after a remake took 11 ms, 5 without).
 */
export const searchWord = pgTable('search_word', { word: text('word').primaryKey() }, (t) => [
	index('search_word_trgm_idx').using('gin', t.word.op('gin_trgm_ops')).with({ fastupdate: false })
]);

/**
 * Who did what, when, to what: every sign-in (success and failure), publication, role change,
 * deletion and settings change. Rows are only ever added.
 */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		/** The user who acted; null for the anonymous (a failed sign-in) or the system. */
		actorId: text('actor_id'),
		/** What happened, as a dotted verb: "article.publish", "auth.sign-in-failed". */
		action: text('action').notNull(),
		/** What it happened to: "article:42", "user:abc". */
		subject: text('subject'),
		/** The state before and after, or other details (never a password or a token). */
		before: jsonb('before'),
		after: jsonb('after'),
		/** The client's address, for security events. */
		ip: text('ip')
	},
	(t) => [index('audit_log_at_idx').on(t.at.desc()), index('audit_log_actor_idx').on(t.actorId, t.at.desc())]
);

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/**
 * Mail waiting to go, written in the transaction of the change it tells about, so that a change
 * never commits without its mail and a rollback never leaves one. A worker in every process sends
 * due rows (several instances at once: each row is taken with a lock that skips taken rows) and
 * retries with back-off. `key` names the notification (`proposal:7:answer:3:user:ab`): enqueuing
 * it twice keeps one row.
 */
export const mailOutbox = pgTable(
	'mail_outbox',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		key: text('key').notNull().unique(),
		recipient: text('recipient').notNull(),
		subject: text('subject').notNull(),
		text: text('text').notNull(),
		html: text('html'),
		/** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
		headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
		status: text('status').$type<OutboxStatus>().notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		lastError: text('last_error'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [
		index('mail_outbox_due_idx')
			.on(t.nextAttemptAt)
			.where(sql`${t.status} = 'pending'`),
		index('mail_outbox_status_idx').on(t.status, t.createdAt),
		// A deleted account's mail still waiting is removed with it.
		index('mail_outbox_recipient_idx')
			.on(t.recipient)
			.where(sql`${t.status} = 'pending'`)
	]
);
