import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import type { LocalizedText } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import type { SurveyQuestionKind, SurveyRespondents, SurveyTextState } from '../../../dialogue-values.ts';
import { dialogueSpace } from '../spaces/schema.ts';

/** An option of a choice or ranking question, or a statement (row) of a matrix. */
export interface SurveyOption {
	key: string;
	text: LocalizedText;
}

/**
 * One question. Keys (`q1`, `o2`) are given when the question or option is made and never
 * change, so answers keep meaning what they meant. A condition names a question of an earlier
 * section and the options of it that show this one: without JavaScript each section is a page,
 * so the answer it depends on is always known when the page is drawn.
 */
export interface SurveyQuestion {
	key: string;
	section: number;
	kind: SurveyQuestionKind;
	text: LocalizedText;
	required: boolean;
	/** The choices (single, multiple), the things to rank (ranking) or the statements (matrix). */
	options: SurveyOption[];
	/** Multiple choice: at most this many. */
	maxChoices: number | null;
	/** Scale and matrix: from, to, and what the two ends mean. */
	scale: { min: number; max: number; low: LocalizedText; high: LocalizedText } | null;
	condition: { question: string; options: string[] } | null;
}

/**
 * A survey in a dialogue space: its questions (a document, edited as one), the days it is open,
 * who may answer and whether the results are public.
 */
export const survey = pgTable(
	'survey',
	{
		id: serial('id').primaryKey(),
		spaceId: integer('space_id')
			.notNull()
			.references(() => dialogueSpace.id, { onDelete: 'cascade' }),
		slug: text('slug').notNull(),
		title: jsonb('title').$type<LocalizedText>().notNull(),
		intro: jsonb('intro').$type<LocalizedText>().notNull().default({}),
		/** Section headings, by section number (0 first). */
		sections: jsonb('sections').$type<LocalizedText[]>().notNull().default([]),
		questions: jsonb('questions').$type<SurveyQuestion[]>().notNull().default([]),
		opensOn: date('opens_on').notNull(),
		closesOn: date('closes_on').notNull(),
		respondents: text('respondents').$type<SurveyRespondents>().notNull().default('verified-email'),
		resultsPublic: boolean('results_public').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('survey_space_slug_idx').on(t.spaceId, t.slug),
		check('survey_dates', sql`${t.opensOn} <= ${t.closesOn}`)
	]
);

/**
 * One person's answers to a survey, sent once. `clientId` is the form's one-time token (or the
 * phone's id for a queued sending): a second sending of it is stored once. A signed-in
 * participant answers once; an anonymous survey keeps no participant.
 */
export const surveyResponse = pgTable(
	'survey_response',
	{
		id: serial('id').primaryKey(),
		surveyId: integer('survey_id')
			.notNull()
			.references(() => survey.id, { onDelete: 'cascade' }),
		participantId: text('participant_id').references(() => user.id, { onDelete: 'set null' }),
		clientId: text('client_id').notNull(),
		language: text('language').notNull(),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('survey_response_client_idx').on(t.surveyId, t.clientId),
		uniqueIndex('survey_response_participant_idx').on(t.surveyId, t.participantId),
		index('survey_response_participant_user_idx').on(t.participantId)
	]
);

/**
 * One answer: a chosen option (`item`), a scale point (`value`), a rank (`item`, `value`), a
 * matrix statement's point (`item`, `value`) or free text. Free text is public only once shown.
 */
export const surveyAnswer = pgTable(
	'survey_answer',
	{
		responseId: integer('response_id')
			.notNull()
			.references(() => surveyResponse.id, { onDelete: 'cascade' }),
		/** Repeated from the response: the results count by survey without a join. */
		surveyId: integer('survey_id')
			.notNull()
			.references(() => survey.id, { onDelete: 'cascade' }),
		question: text('question').notNull(),
		item: text('item').notNull().default(''),
		value: smallint('value'),
		text: text('text'),
		textState: text('text_state').$type<SurveyTextState>()
	},
	(t) => [
		primaryKey({ columns: [t.responseId, t.question, t.item] }),
		index('survey_answer_results_idx').on(t.surveyId, t.question, t.item, t.value),
		index('survey_answer_text_idx')
			.on(t.surveyId, t.textState, t.responseId)
			.where(sql`${t.textState} is not null`)
	]
);
