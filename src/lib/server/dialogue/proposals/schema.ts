import { sql } from 'drizzle-orm';
import {
	boolean,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';
import type { AnswerState, ProposalEventKind, ProposalStatus } from '../../../dialogue-values.ts';
import { dialogueSpace } from '../spaces/schema.ts';

/**
 * A resident's proposal (e-förslag). The author is kept as null once their account is deleted:
 * the text stays, shown as a former participant's. Counters are kept in the same transaction as
 * the support or comment they count, so a page never counts rows.
 */
export const proposal = pgTable(
	'proposal',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		title: text('title').notNull(),
		/** Plain text as written; links are made safe when shown. */
		body: text('body').notNull(),
		/** The language it is written in (ISO 639-1). */
		language: text('language').notNull(),
		placeName: text('place_name'),
		lat: doublePrecision('lat'),
		lon: doublePrecision('lon'),
		mediaId: integer('media_id').references(() => media.id, { onDelete: 'set null' }),
		status: text('status').$type<ProposalStatus>().notNull(),
		/** The state of the latest published answer. */
		answerState: text('answer_state').$type<AnswerState>(),
		supportCount: integer('support_count').notNull().default(0),
		commentCount: integer('comment_count').notNull().default(0),
		/** Supports count until then (created + the space's window). */
		collectUntil: timestamp('collect_until', { withTimezone: true }).notNull(),
		thresholdReachedAt: timestamp('threshold_reached_at', { withTimezone: true }),
		/** Set when the threshold is reached: the published deadline for the answer. */
		answerDue: timestamp('answer_due', { withTimezone: true }),
		firstAnsweredAt: timestamp('first_answered_at', { withTimezone: true }),
		/** Hidden by flags or a moderator; the reason is public. */
		hidden: boolean('hidden').notNull().default(false),
		hiddenReason: text('hidden_reason'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		editedAt: timestamp('edited_at', { withTimezone: true })
	},
	(t) => [
		// The open-data list across every space, newest first.
		index('proposal_created_idx').on(t.createdAt, t.id),
		index('proposal_space_created_idx').on(t.spaceId, t.createdAt),
		index('proposal_space_status_idx').on(t.spaceId, t.status, t.createdAt),
		index('proposal_space_supports_idx').on(t.spaceId, t.supportCount),
		index('proposal_author_idx').on(t.authorId),
		// The media route asks whether a library file is a proposal's photo (and who may see it).
		index('proposal_media_idx').on(t.mediaId),
		// The threshold tick and the overdue figures read these.
		index('proposal_collecting_idx')
			.on(t.collectUntil)
			.where(sql`${t.status} = 'collecting'`),
		// The answerers' work list: what waits for an answer in a space, soonest due first.
		index('proposal_answer_work_idx')
			.on(t.spaceId, t.answerDue, t.createdAt)
			.where(
				sql`${t.hidden} = false and (${t.status} = 'to-answer' or (${t.status} = 'answered' and ${t.answerState} = 'evaluating'))`
			),
		index('proposal_due_idx')
			.on(t.answerDue)
			.where(sql`${t.answerDue} is not null`)
	]
);

/** One support per participant per proposal: the primary key makes it exactly once. */
export const proposalSupport = pgTable(
	'proposal_support',
	{
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index('proposal_support_user_idx').on(t.userId)]
);

/** The public history of a proposal ("what happened"), one row per step. */
export const proposalEvent = pgTable(
	'proposal_event',
	{
		id: serial('id').primaryKey(),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<ProposalEventKind>().notNull(),
		/** What the step carries: the answer's state, the moderator's public reason … */
		detail: jsonb('detail').$type<Record<string, string>>().notNull().default({}),
		/** Who took the step, where someone on the team did (never shown): they are not told of it. */
		actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('proposal_event_proposal_idx').on(t.proposalId, t.at),
		index('proposal_event_actor_idx').on(t.actorId)
	]
);
