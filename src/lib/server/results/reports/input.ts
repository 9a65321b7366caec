import { z } from 'zod';
import { fields, line, paragraphs, readForm, type Shape } from '../../kernel/input.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { locales } from '#lib/i18n/locales.ts';
import type { IndicatorMeasure } from '../schema.ts';
import { figureNumber } from '../progress.ts';

// The yearly report's form. Its fields follow the framework: one actual value (and comment) per
// indicator period ending in the year, one text, score and reasoning per principle, the lessons
// and the plans; every text in each interface language. A draft may be incomplete; what a
// submission needs is checked when it is submitted (`missingForSubmission`).

export const reportTextMax = 8000;
export const commentMax = 2000;
export const valueMax = 60;

export const field = {
	lessons: (l: string) => `lessons_${l}`,
	plans: (l: string) => `plans_${l}`,
	principleText: (p: string, l: string) => `text_${p}_${l}`,
	score: (p: string) => `score_${p}`,
	reasoning: (p: string, l: string) => `reasoning_${p}_${l}`,
	actual: (periodId: number) => `actual_${periodId}`,
	actualComment: (periodId: number, l: string) => `actualComment_${periodId}_${l}`
};

export interface ReportFormPeriod {
	periodId: number;
	measure: IndicatorMeasure;
}

export interface ReportInput {
	lessons: LocalizedText;
	plans: LocalizedText;
	principles: { principle: string; text: LocalizedText; score: number | null; reasoning: LocalizedText }[];
	actuals: { periodId: number; value: string | null; comment: LocalizedText }[];
}

const text = (max: number) => paragraphs(max, 'tooLong').optional();
const score = z
	.string('invalidScore')
	.regex(/^[1-5]$/, 'invalidScore')
	.transform(Number)
	.optional();
/** A value as the measure needs it: a number for counts, shares and scales; any short text else. */
const value = (measure: IndicatorMeasure) =>
	measure === 'qualitative'
		? z.undefined('valueForQualitative').optional()
		: line(valueMax, 'tooLong')
				.refine((v) => v === '' || measure === 'nominal' || figureNumber(v) !== null, 'invalidNumber')
				.optional();

function shapeOf(principles: readonly string[], periods: readonly ReportFormPeriod[]): Shape {
	const shape: Shape = {};
	for (const l of locales) {
		shape[field.lessons(l)] = text(reportTextMax);
		shape[field.plans(l)] = text(reportTextMax);
	}
	for (const p of principles) {
		shape[field.score(p)] = score;
		for (const l of locales) {
			shape[field.principleText(p, l)] = text(reportTextMax);
			shape[field.reasoning(p, l)] = text(commentMax);
		}
	}
	for (const period of periods) {
		shape[field.actual(period.periodId)] = value(period.measure);
		for (const l of locales) shape[field.actualComment(period.periodId, l)] = text(commentMax);
	}
	return shape;
}

const localized = (read: Record<string, unknown>, name: (l: string) => string): LocalizedText => {
	const out: LocalizedText = {};
	for (const l of locales) {
		const v = read[name(l)];
		if (typeof v === 'string' && v !== '') out[l] = v;
	}
	return out;
};

/** Reads the report form for these principles and periods (bad fields: a ValidationError). */
export function readReportForm(
	form: FormData | Record<string, unknown>,
	principles: readonly string[],
	periods: readonly ReportFormPeriod[]
): ReportInput {
	const read = readForm(form, shapeOf(principles, periods), 'results') as Record<string, unknown>;
	return {
		lessons: localized(read, field.lessons),
		plans: localized(read, field.plans),
		principles: principles.map((p) => ({
			principle: p,
			text: localized(read, (l) => field.principleText(p, l)),
			score: (read[field.score(p)] as number | undefined) ?? null,
			reasoning: localized(read, (l) => field.reasoning(p, l))
		})),
		actuals: periods.map((period) => ({
			periodId: period.periodId,
			value: (read[field.actual(period.periodId)] as string | undefined) || null,
			comment: localized(read, (l) => field.actualComment(period.periodId, l))
		}))
	};
}

/** A step's comment (returning) or reason (reopening): required, one paragraph or a few. */
export const stepShape = {
	comment: paragraphs(commentMax, 'tooLong').pipe(z.string().min(1, 'required'))
};

export const reportParams = {
	partnership: fields.slug,
	year: z
		.string('invalidYear')
		.regex(/^20\d\d$/, 'invalidYear')
		.transform(Number)
};
