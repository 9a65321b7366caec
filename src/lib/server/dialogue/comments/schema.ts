import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, serial, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from '../../accounts/schema.ts';
import type { Stance } from '../../../dialogue-values.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import { proposal } from '../proposals/schema.ts';

/**
 * A comment on a proposal, or on the space itself (a debate). Threads nest three levels
 * (depth 0–2); `rootId` is the top-level comment of the thread so that a page of 20 threads is
 * two index reads however many comments there are. Deleting keeps the row (and the thread).
 */
export const dialogueComment = pgTable(
	'dialogue_comment',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id').references(() => proposal.id, { onDelete: 'cascade' }),
		parentId: integer('parent_id'),
		rootId: integer('root_id'),
		depth: smallint('depth').notNull().default(0),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		body: text('body').notNull(),
		stance: text('stance').$type<Stance>(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		editedAt: timestamp('edited_at', { withTimezone: true }),
		deletedAt: timestamp('deleted_at', { withTimezone: true }),
		hidden: boolean('hidden').notNull().default(false),
		hiddenReason: text('hidden_reason'),
		/** Held for a moderator in a pre-moderated space: shown only to its author until approved. */
		screening: boolean('screening').notNull().default(false)
	},
	(t) => [
		index('dialogue_comment_top_idx')
			.on(t.spaceId, t.proposalId, t.createdAt)
			.where(sql`${t.parentId} is null`),
		// A space's own debate (no proposal), read newest or oldest first.
		index('dialogue_comment_debate_idx')
			.on(t.spaceId, t.createdAt)
			.where(sql`${t.parentId} is null and ${t.proposalId} is null`),
		index('dialogue_comment_root_idx').on(t.rootId, t.createdAt),
		// Open data: a space's or a proposal's comments in order (and the cascade from a proposal).
		index('dialogue_comment_space_idx').on(t.spaceId, t.id),
		index('dialogue_comment_proposal_idx').on(t.proposalId, t.id),
		index('dialogue_comment_author_idx').on(t.authorId),
		index('dialogue_comment_screening_idx').on(t.spaceId, t.createdAt).where(sql`${t.screening}`)
	]
);
