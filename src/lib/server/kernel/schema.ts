import { bigint, bigserial, index, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row whose number every content write raises in its own transaction. Each app instance
 * polls it, so caches in every instance notice a publication made by another.
 */
export const contentRevision = pgTable('content_revision', {
	id: smallint('id').primaryKey().default(1),
	revision: bigint('revision', { mode: 'number' }).notNull().default(0)
});

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
