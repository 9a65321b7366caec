import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '../../accounts/schema.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import { proposal, proposalEvent } from '../proposals/schema.ts';
import { dialogueComment } from '../comments/schema.ts';

/** A participant follows a space or a proposal (exactly one): they hear of answers and changes. */
export const dialogueFollow = pgTable(
	'dialogue_follow',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		spaceId: integer('space_id').references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		check('dialogue_follow_one_target', sql`(${t.spaceId} is null) <> (${t.proposalId} is null)`),
		uniqueIndex('dialogue_follow_space_unique').on(t.spaceId, t.userId),
		uniqueIndex('dialogue_follow_proposal_unique').on(t.proposalId, t.userId),
		index('dialogue_follow_user_idx').on(t.userId)
	]
);

/**
 * What a participant is to hear of (an answer, a state change, a reply to their comment), one row
 * per person and happening: `key` (`event:<id>`, `reply:<comment id>`) makes it once. Rows are
 * made from the history and the comments by the module's tick; a single mail or a digest then
 * takes them (`mailedAt`), in the same transaction as the mail it enqueues.
 */
export const dialogueNotification = pgTable(
	'dialogue_notification',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		commentId: integer('comment_id').references(() => dialogueComment.id, { onDelete: 'cascade' }),
		eventId: integer('event_id').references(() => proposalEvent.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		mailedAt: timestamp('mailed_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('dialogue_notification_once').on(t.userId, t.key),
		index('dialogue_notification_unmailed_idx')
			.on(t.userId, t.createdAt)
			.where(sql`${t.mailedAt} is null`),
		index('dialogue_notification_space_idx').on(t.spaceId),
		index('dialogue_notification_proposal_idx').on(t.proposalId),
		index('dialogue_notification_comment_idx').on(t.commentId),
		index('dialogue_notification_event_idx').on(t.eventId)
	]
);

/** How far the notifier has read each stream (the history, the comments): the last id it took. */
export const dialogueNotificationCursor = pgTable('dialogue_notification_cursor', {
	stream: text('stream').primaryKey(),
	lastId: integer('last_id').notNull().default(0)
});
