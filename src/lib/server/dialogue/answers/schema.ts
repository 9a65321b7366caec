import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import type { AnswerState } from '../../../dialogue-values.ts';
import { dialogueSpace } from '../spaces/schema.ts';
import { proposal } from '../proposals/schema.ts';

/**
 * The official answer to a proposal: drafted by an answerer, published (several at once if they
 * like). Every published answer stays in the history; the latest sets the proposal's state.
 * `resultRef` is where the results follow-up links the proposal to a result.
 */
export const proposalAnswer = pgTable(
	'proposal_answer',
	{
		id: serial('id').primaryKey(),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		state: text('state').$type<AnswerState>().notNull(),
		/** The answer in the space's languages. */
		text: jsonb('text').$type<LocalizedText>().notNull(),
		/** The body that decided ("Kommunstyrelsen"), per language. */
		decidedBy: jsonb('decided_by').$type<LocalizedText>().notNull().default({}),
		decisionUrl: text('decision_url'),
		resultRef: text('result_ref'),
		authorId: text('author_id').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		publishedAt: timestamp('published_at', { withTimezone: true })
	},
	(t) => [
		index('proposal_answer_proposal_idx').on(t.proposalId, t.publishedAt),
		// One draft at a time per proposal.
		uniqueIndex('proposal_answer_one_draft')
			.on(t.proposalId)
			.where(sql`${t.publishedAt} is null`),
		index('proposal_answer_author_idx').on(t.authorId)
	]
);

/** Texts an answerer can start from, per space. */
export const answerTemplate = pgTable(
	'answer_template',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		state: text('state').$type<AnswerState>().notNull(),
		text: jsonb('text').$type<LocalizedText>().notNull()
	},
	(t) => [index('answer_template_space_idx').on(t.spaceId)]
);
