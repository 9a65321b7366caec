import {
	boolean,
	check,
	date,
	index,
	integer,
	jsonb,
	numeric,
	pgTable,
	primaryKey,
	serial,
	smallint,
	text,
	timestamp,
	unique
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { LocalizedText } from '../kernel/localized.ts';
import { proposal } from '../dialogue/schema.ts';
import { partnership } from '../partnerships/schema.ts';
import { sdgGoal, sdgTarget, theme } from '../taxonomy/schema.ts';
import { resultStatuses, type ResultStatus } from '../../results-values.ts';

export { resultStatuses, type ResultStatus };

// A partnership's results framework (the logical framework approach), shaped after the IATI 2.03
// `result` element so that its activity file and its import map one to one: result → indicator →
// baseline and periods with targets and actuals, each figure with its breakdowns (dimensions).

/** The levels of the logical framework, and the IATI result type each one is (codelist ResultType). */
export const resultLevels = ['impact', 'outcome', 'output'] as const;
export type ResultLevel = (typeof resultLevels)[number];

/** IATI IndicatorMeasure: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative. */
export const indicatorMeasures = ['unit', 'percentage', 'nominal', 'ordinal', 'qualitative'] as const;
export type IndicatorMeasure = (typeof indicatorMeasures)[number];

export const figureKinds = ['baseline', 'target', 'actual'] as const;
export type FigureKind = (typeof figureKinds)[number];

/** One result of a partnership: an impact, an outcome under it, an output under that. */
export const result = pgTable(
	'result',
	{
		id: serial('id').primaryKey(),
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		/** The result this one contributes to (an output's outcome, an outcome's impact). */
		parentId: integer('parent_id').references((): never => result.id as never, { onDelete: 'cascade' }),
		level: text('level').$type<ResultLevel>().notNull(),
		/** The democratic principle it serves (a theme). */
		principle: text('principle').references(() => theme.key),
		title: jsonb('title').$type<LocalizedText>().notNull(),
		description: jsonb('description').$type<LocalizedText>().notNull().default({}),
		/** IATI aggregation-status: whether the figures may be added up across activities. */
		aggregationStatus: boolean('aggregation_status'),
		/** Its weight in its parent's progress; none for all means the plain mean. */
		weight: numeric('weight', { precision: 8, scale: 3 }),
		/** The platform's own (IATI has no result status): kept when a framework is replaced. */
		status: text('status').$type<ResultStatus>().notNull().default('planned'),
		position: smallint('position').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('result_partnership_idx').on(t.partnershipId, t.position),
		index('result_parent_idx').on(t.parentId),
		index('result_principle_idx').on(t.principle),
		check('result_weight_positive', sql`${t.weight} is null or ${t.weight} > 0`)
	]
);

export const resultGoal = pgTable(
	'result_goal',
	{
		resultId: integer('result_id')
			.notNull()
			.references(() => result.id, { onDelete: 'cascade' }),
		goal: smallint('goal')
			.notNull()
			.references(() => sdgGoal.number)
	},
	(t) => [primaryKey({ columns: [t.resultId, t.goal] }), index('result_goal_goal_idx').on(t.goal)]
);

export const resultTarget = pgTable(
	'result_target',
	{
		resultId: integer('result_id')
			.notNull()
			.references(() => result.id, { onDelete: 'cascade' }),
		target: text('target')
			.notNull()
			.references(() => sdgTarget.code)
	},
	(t) => [primaryKey({ columns: [t.resultId, t.target] }), index('result_target_target_idx').on(t.target)]
);

/** How a result is measured. */
export const indicator = pgTable(
	'indicator',
	{
		id: serial('id').primaryKey(),
		resultId: integer('result_id')
			.notNull()
			.references(() => result.id, { onDelete: 'cascade' }),
		measure: text('measure').$type<IndicatorMeasure>().notNull(),
		/** True when a higher value is better (IATI ascending, default true). */
		ascending: boolean('ascending').notNull().default(true),
		aggregationStatus: boolean('aggregation_status'),
		title: jsonb('title').$type<LocalizedText>().notNull(),
		description: jsonb('description').$type<LocalizedText>().notNull().default({}),
		/** Where the figures come from (a survey, the municipality's records …). */
		dataSource: jsonb('data_source').$type<LocalizedText>().notNull().default({}),
		weight: numeric('weight', { precision: 8, scale: 3 }),
		position: smallint('position').notNull().default(0),
		/**
		 * The value of its baseline total (the first baseline without a breakdown), for the dashboard.
		 * Kept by the database from the figures (migration 0028's triggers): never written here.
		 */
		baselineTotal: text('baseline_total')
	},
	(t) => [
		index('indicator_result_idx').on(t.resultId, t.position),
		check('indicator_weight_positive', sql`${t.weight} is null or ${t.weight} > 0`)
	]
);

/** A reporting period of an indicator (IATI period-start, period-end). */
export const indicatorPeriod = pgTable(
	'indicator_period',
	{
		id: serial('id').primaryKey(),
		indicatorId: integer('indicator_id')
			.notNull()
			.references(() => indicator.id, { onDelete: 'cascade' }),
		start: date('start').notNull(),
		end: date('end').notNull(),
		/**
		 * The values of its target and actual totals (the first of each kind without a breakdown; the
		 * actual's the first with a value), for the dashboard. Kept by the database from the figures
		 * (migration 0028's triggers): never written here.
		 */
		targetTotal: text('target_total'),
		actualTotal: text('actual_total')
	},
	(t) => [
		unique('indicator_period_dates').on(t.indicatorId, t.start, t.end),
		// The dashboard's years (the first and last period) and an indicator's periods ending in a year.
		index('indicator_period_end_idx').on(t.end),
		check('indicator_period_order', sql`${t.start} < ${t.end}`)
	]
);

/**
 * A figure: a baseline (with its year), or a period's target or actual. Its value is kept as
 * written (IATI: a string); numeric measures hold a number. Several of one kind are breakdowns.
 */
export const indicatorFigure = pgTable(
	'indicator_figure',
	{
		id: serial('id').primaryKey(),
		indicatorId: integer('indicator_id')
			.notNull()
			.references(() => indicator.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<FigureKind>().notNull(),
		periodId: integer('period_id').references(() => indicatorPeriod.id, { onDelete: 'cascade' }),
		/** A baseline's year and date. */
		year: smallint('year'),
		isoDate: date('iso_date'),
		value: text('value'),
		comment: jsonb('comment').$type<LocalizedText>().notNull().default({}),
		position: smallint('position').notNull().default(0)
	},
	(t) => [
		index('indicator_figure_indicator_idx').on(t.indicatorId, t.kind),
		index('indicator_figure_period_idx').on(t.periodId),
		check(
			'indicator_figure_shape',
			sql`(${t.kind} = 'baseline' and ${t.periodId} is null and ${t.year} is not null)
				or (${t.kind} <> 'baseline' and ${t.periodId} is not null and ${t.year} is null)`
		)
	]
);

/** A breakdown of a figure: name and category (IATI dimension, e.g. sex = female). */
export const figureDimension = pgTable(
	'figure_dimension',
	{
		figureId: integer('figure_id')
			.notNull()
			.references(() => indicatorFigure.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		value: text('value').notNull()
	},
	(t) => [primaryKey({ columns: [t.figureId, t.name] })]
);

/** Activities and milestones of the plan, optionally under the result they serve. */
export const resultActivity = pgTable(
	'result_activity',
	{
		id: serial('id').primaryKey(),
		partnershipId: integer('partnership_id')
			.notNull()
			.references(() => partnership.id, { onDelete: 'cascade' }),
		resultId: integer('result_id').references(() => result.id, { onDelete: 'set null' }),
		title: jsonb('title').$type<LocalizedText>().notNull(),
		/** A milestone is a date to reach, not a stretch of work. */
		milestone: boolean('milestone').notNull().default(false),
		start: date('start'),
		end: date('end').notNull(),
		done: boolean('done').notNull().default(false)
	},
	(t) => [
		index('result_activity_partnership_idx').on(t.partnershipId, t.end),
		check('result_activity_order', sql`${t.start} is null or ${t.start} <= ${t.end}`),
		index('result_activity_result_idx').on(t.resultId)
	]
);

/** A citizen-dialogue proposal that led to a result ("what happened" closes the loop). */
export const resultProposal = pgTable(
	'result_proposal',
	{
		resultId: integer('result_id')
			.notNull()
			.references(() => result.id, { onDelete: 'cascade' }),
		proposalId: integer('proposal_id')
			.notNull()
			.references(() => proposal.id, { onDelete: 'cascade' }),
		linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.resultId, t.proposalId] }),
		index('result_proposal_proposal_idx').on(t.proposalId)
	]
);

/**
 * The first steps of the logical framework approach, before the results: the problem with its
 * causes and effects, who is concerned, and what must hold for the plan to work.
 */
export const resultPlan = pgTable('result_plan', {
	partnershipId: integer('partnership_id')
		.primaryKey()
		.references(() => partnership.id, { onDelete: 'cascade' }),
	problem: jsonb('problem').$type<LocalizedText>().notNull().default({}),
	causes: jsonb('causes').$type<LocalizedText>().notNull().default({}),
	effects: jsonb('effects').$type<LocalizedText>().notNull().default({}),
	stakeholders: jsonb('stakeholders').$type<LocalizedText>().notNull().default({}),
	assumptions: jsonb('assumptions').$type<LocalizedText>().notNull().default({}),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

// The yearly reports' tables live beside their code; migrations are generated from this file.
export * from './reports/schema.ts';
export * from './analysis/schema.ts';
