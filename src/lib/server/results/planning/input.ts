import { z } from 'zod';
import { locales } from '#lib/i18n/locales.ts';
import { fields, line, paragraphs, perLocale, readForm, type Shape } from '../../kernel/input.ts';
import { ValidationError } from '../../kernel/errors.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { isDecimal, isIsoDate } from '../iati/codes.ts';
import { indicatorMeasures, resultLevels, type IndicatorMeasure, type ResultLevel } from '../schema.ts';

// The planning view's forms (the logical framework approach, item by item). Each form posts plain
// fields, a text per interface language (`title_sv`, `title_en` …) and the `version` it was opened
// at; the readers below give the commands typed values or throw a ValidationError naming each field.

/** The steps of the plan whose texts one form saves together (each step has its own form). */
export const planSteps = {
	analysis: ['problem', 'causes', 'effects'],
	stakeholders: ['stakeholders'],
	assumptions: ['assumptions']
} as const;
export type PlanStep = keyof typeof planSteps;
export type PlanText = (typeof planSteps)[PlanStep][number];
export const planTexts = ['problem', 'causes', 'effects', 'stakeholders', 'assumptions'] as const;

const textMax = 4000;
const titleMax = 300;
const valueMax = 100;

const optionalText = paragraphs(textMax).optional();
const optionalLine = (max: number) => line(max).optional();
const version = z.string().max(200, 'invalid').optional();
const date = z.string('invalidPlanDate').refine(isIsoDate, 'invalidPlanDate');
const year = z
	.string('invalidYear')
	.regex(/^\d{4}$/, 'invalidYear')
	.transform(Number)
	.pipe(z.number().min(1900, 'invalidYear').max(2200, 'invalidYear'));
/** A weight as people write it ("1,5" or "1.5"): positive, at most three decimals (the column's). */
const weight = z
	.string('invalidPlanWeight')
	.transform((w) => w.trim().replace(',', '.'))
	.refine((w) => /^\d{1,5}(\.\d{1,3})?$/.test(w) && Number(w) > 0, 'invalidPlanWeight')
	.transform(Number)
	.optional();
/** A checkbox: there (any value) or not. */
const checked = z.string().optional();

const localized = (read: Record<string, unknown>, prefix: string): LocalizedText => {
	const out: LocalizedText = {};
	for (const l of locales) {
		const v = read[`${prefix}_${l}`];
		if (typeof v === 'string' && v !== '') out[l] = v;
	}
	return out;
};

/** A title in at least one language; the problem is named at the first language's field. */
function titleOf(read: Record<string, unknown>): LocalizedText {
	const title = localized(read, 'title');
	if (!Object.keys(title).length)
		throw new ValidationError([{ field: `title_${locales[0]}`, code: 'planTitleRequired' }], 'results');
	return title;
}

// ---------------------------------------------------------------------------------------------
// Steps 1, 2 and 6: the plan's texts

const planShape = {
	step: z.enum(Object.keys(planSteps) as [PlanStep, ...PlanStep[]], 'invalid'),
	...Object.fromEntries(planTexts.flatMap((t) => locales.map((l) => [`${t}_${l}`, optionalText]))),
	version
} satisfies Shape;

export interface PlanInput {
	step: PlanStep;
	/** Only the step's texts: the others are left as they are. */
	texts: Partial<Record<PlanText, LocalizedText>>;
	version: string;
}

/** Reads a step's form of the plan's texts. */
export function readPlanForm(form: FormData | Record<string, unknown>): PlanInput {
	const read = readForm(form, planShape, 'results') as Record<string, unknown> & { step: PlanStep };
	const texts: PlanInput['texts'] = {};
	for (const t of planSteps[read.step]) texts[t] = localized(read, t);
	return { step: read.step, texts, version: (read.version as string | undefined) ?? '' };
}

// ---------------------------------------------------------------------------------------------
// Step 3: results

const resultShape = {
	level: z.enum(resultLevels, 'unknownResultType'),
	parent: fields.id.optional(),
	...perLocale('title', optionalLine(titleMax)),
	...perLocale('description', optionalText),
	principle: fields.theme.optional(),
	goals: fields.list(fields.goal, 17),
	targets: optionalLine(400),
	weight,
	version
} satisfies Shape;

export interface ResultInput {
	level: ResultLevel;
	parentId: number | null;
	title: LocalizedText;
	description: LocalizedText;
	principle: string | null;
	goals: number[];
	targets: string[];
	weight: number | null;
	version: string;
}

/** Reads the form of a result (new or edited). Targets are written "16.7, 11.3". */
export function readResultForm(form: FormData | Record<string, unknown>): ResultInput {
	const read = readForm(form, resultShape, 'results');
	const targets: string[] = [];
	for (const t of (read.targets ?? '').split(/[\s,;]+/).filter(Boolean)) {
		const parsed = fields.target.safeParse(t);
		if (!parsed.success)
			throw new ValidationError(
				[{ field: 'targets', code: 'unknownSdgTarget', params: { value: t } }],
				'results'
			);
		if (!targets.includes(parsed.data)) targets.push(parsed.data);
	}
	return {
		level: read.level,
		parentId: read.parent ?? null,
		title: titleOf(read),
		description: localized(read, 'description'),
		principle: read.principle ?? null,
		goals: [...new Set(read.goals)].toSorted((a, b) => a - b),
		targets: targets.toSorted((a, b) => a.localeCompare(b, 'en', { numeric: true })),
		weight: read.weight ?? null,
		version: read.version ?? ''
	};
}

// ---------------------------------------------------------------------------------------------
// Step 4: indicators and their periods

/**
 * A figure's value as the measure needs it, the rule the framework's import keeps (input.ts,
 * iati/rules.ts): none for a qualitative indicator, a decimal number for every other measure. A
 * decimal comma ("12,5", as Swedish is written) is stored with a point, as IATI wants it.
 */
export function figureValue(
	measure: IndicatorMeasure,
	raw: string | undefined,
	field: string
): { value: string | null } {
	if (raw === undefined || raw === '') return { value: null };
	if (measure === 'qualitative')
		throw new ValidationError([{ field, code: 'valueForQualitative' }], 'results');
	const value = /^[+-]?\d+,\d+$/.test(raw) ? raw.replace(',', '.') : raw;
	if (!isDecimal(value)) throw new ValidationError([{ field, code: 'invalidNumber' }], 'results');
	return { value };
}

const indicatorShape = {
	result: fields.id.optional(),
	measure: z.enum(indicatorMeasures, 'unknownMeasure'),
	direction: z.enum(['ascending', 'descending'], 'invalid').optional(),
	...perLocale('title', optionalLine(titleMax)),
	...perLocale('dataSource', optionalLine(titleMax)),
	baselineYear: year.optional(),
	baselineValue: optionalLine(valueMax),
	...perLocale('baselineComment', paragraphs(2000).optional()),
	weight,
	version
} satisfies Shape;

export interface IndicatorInput {
	/** The result it measures (a new indicator's). */
	resultId: number | null;
	measure: IndicatorMeasure;
	ascending: boolean;
	title: LocalizedText;
	dataSource: LocalizedText;
	/** The baseline (the total, without breakdowns); none when neither a year nor a value is given. */
	baseline: { year: number; value: string | null; comment: LocalizedText } | null;
	weight: number | null;
	version: string;
}

/** Reads the form of an indicator with its baseline: a value needs its year and fits the measure. */
export function readIndicatorForm(form: FormData | Record<string, unknown>): IndicatorInput {
	const read = readForm(form, indicatorShape, 'results');
	const title = titleOf(read);
	const { value } = figureValue(read.measure, read.baselineValue, 'baselineValue');
	const comment = localized(read, 'baselineComment');
	const given = value !== null || Object.keys(comment).length > 0;
	if (given && read.baselineYear === undefined)
		throw new ValidationError([{ field: 'baselineYear', code: 'baselineYearMissing' }], 'results');
	if (read.baselineYear !== undefined && value === null && read.measure !== 'qualitative')
		throw new ValidationError([{ field: 'baselineValue', code: 'required' }], 'results');
	return {
		resultId: read.result ?? null,
		measure: read.measure,
		ascending: read.direction !== 'descending',
		title,
		dataSource: localized(read, 'dataSource'),
		baseline: read.baselineYear === undefined ? null : { year: read.baselineYear, value, comment },
		weight: read.weight ?? null,
		version: read.version ?? ''
	};
}

const periodShape = {
	indicator: fields.id.optional(),
	start: date,
	end: date,
	target: optionalLine(valueMax),
	version
} satisfies Shape;

export interface PeriodInput {
	indicatorId: number | null;
	start: string;
	end: string;
	/** As typed: checked against the indicator's measure by the command (`figureValue`). */
	target: string | undefined;
	version: string;
}

/** Reads the form of a period with its target; it starts before it ends. */
export function readPeriodForm(form: FormData | Record<string, unknown>): PeriodInput {
	const read = readForm(form, periodShape, 'results');
	if (read.start >= read.end)
		throw new ValidationError([{ field: 'end', code: 'planPeriodOrder' }], 'results');
	return {
		indicatorId: read.indicator ?? null,
		start: read.start,
		end: read.end,
		target: read.target,
		version: read.version ?? ''
	};
}

// ---------------------------------------------------------------------------------------------
// Step 5: activities and milestones

const activityShape = {
	...perLocale('title', optionalLine(titleMax)),
	milestone: checked,
	start: date.optional(),
	end: date,
	result: fields.id.optional(),
	version
} satisfies Shape;

export interface ActivityInput {
	title: LocalizedText;
	milestone: boolean;
	start: string | null;
	end: string;
	resultId: number | null;
	version: string;
}

/** Reads the form of an activity or milestone: a milestone is a date, an activity may start before. */
export function readActivityForm(form: FormData | Record<string, unknown>): ActivityInput {
	const read = readForm(form, activityShape, 'results');
	const title = titleOf(read);
	const milestone = read.milestone !== undefined;
	const start = milestone ? null : (read.start ?? null);
	if (start !== null && start > read.end)
		throw new ValidationError([{ field: 'end', code: 'activityOrder' }], 'results');
	return {
		title,
		milestone,
		start,
		end: read.end,
		resultId: read.result ?? null,
		version: read.version ?? ''
	};
}

// ---------------------------------------------------------------------------------------------
// Removing and the page's own query

const removeShape = { confirm: checked, version };

/**
 * Reads a removal's form: for a result or an indicator the person ticked that what hangs under it
 * goes too (`confirmed`); a period or an activity is removed with its button alone.
 */
export function readRemoveForm(
	form: FormData | Record<string, unknown>,
	confirmed = true
): { version: string } {
	const read = readForm(form, removeShape, 'results');
	if (confirmed && read.confirm === undefined)
		throw new ValidationError([{ field: 'confirm', code: 'removalNotConfirmed' }], 'results');
	return { version: read.version ?? '' };
}

/** What the plan's page was sent back with after a change made on another page (a removal). */
export const planQuery = {
	done: z.enum(['removeResult', 'removeIndicator', 'removeActivity'], 'invalid').optional()
} satisfies Shape;

/** Which period of the indicator's page a period's form is about. */
export const periodRef = { period: fields.id } satisfies Shape;
