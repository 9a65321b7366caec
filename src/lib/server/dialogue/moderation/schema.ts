import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { user } from '../../accounts/schema.ts';
import type { FlagReason } from '../../../dialogue-values.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import { proposal } from '../proposals/schema.ts';
import { dialogueComment } from '../comments/schema.ts';

/** A participant's flag on a proposal or a comment: one per participant and thing. */
export const dialogueFlag = pgTable(
	'dialogue_flag',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		commentId: integer('comment_id').references(() => dialogueComment.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		reason: text('reason').$type<FlagReason>().notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Set when a moderator has decided on the flagged thing. */
		resolvedAt: timestamp('resolved_at', { withTimezone: true })
	},
	(t) => [
		check('dialogue_flag_one_target', sql`(${t.proposalId} is null) <> (${t.commentId} is null)`),
		uniqueIndex('dialogue_flag_proposal_unique').on(t.proposalId, t.userId),
		uniqueIndex('dialogue_flag_comment_unique').on(t.commentId, t.userId),
		// A participant's own flags (their data download, their account's deletion).
		index('dialogue_flag_user_idx').on(t.userId),
		index('dialogue_flag_open_idx')
			.on(t.spaceId, t.createdAt)
			.where(sql`${t.resolvedAt} is null`)
	]
);

/** A participant blocked from giving input, in one space or (space null) on the whole platform. */
export const dialogueBlock = pgTable(
	'dialogue_block',
	{
		id: serial('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		spaceId: integer('space_id').references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		reason: text('reason').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('dialogue_block_user_idx').on(t.userId),
		index('dialogue_block_space_idx').on(t.spaceId, t.createdAt, t.id)
	]
);
