import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { fields, formValues, line, paragraphs, parseInput } from '../../kernel/input.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import {
	surveyMaxOptions,
	surveyMaxQuestions,
	surveyQuestionKinds,
	surveyRespondents,
	surveyTextStates,
	type SurveyRespondents
} from '../../../dialogue-values.ts';
import type { SurveyQuestion } from './schema.ts';

// The survey's forms: the builder (settings and one row of fields per question, blank rows for
// new ones, as the report categories are edited) and the few fields of answering beside the
// answers themselves (definition.ts reads those, against the survey's questions).

const isoDay = z
	.string('surveyInvalidDate')
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'surveyInvalidDate')
	.refine((d) => {
		// Every check runs, the pattern's failure or not: a date that is no date must not throw here.
		const parsed = new Date(`${d}T00:00:00Z`);
		return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(d);
	}, 'surveyInvalidDate');

const rows = surveyMaxQuestions + 3;
const small = (code: string) => z.string().regex(/^(-?\d{1,3})?$/, code);

export const surveyShape = {
	surveyTitleSv: line(120).optional(),
	surveyTitleEn: line(120).optional(),
	introSv: paragraphs(2000).optional(),
	introEn: paragraphs(2000).optional(),
	/** One heading a line, "Svenska | English"; line n heads section n. */
	sections: paragraphs(2000).optional(),
	opensOn: isoDay,
	closesOn: isoDay,
	respondents: z.enum(surveyRespondents, 'invalid'),
	resultsPublic: z.literal('yes', 'invalid').optional(),
	questionKey: fields.list(z.string().regex(/^(q\d{1,3})?$/, 'invalid'), rows),
	questionSection: fields.list(small('surveyInvalidNumber'), rows),
	questionKind: fields.list(z.enum(['', ...surveyQuestionKinds] as const, 'invalid'), rows),
	questionSv: fields.list(line(300), rows),
	questionEn: fields.list(line(300), rows),
	/** One option (or statement) a line, "Svenska | English". */
	questionOptions: fields.list(paragraphs(3000), rows),
	questionRequired: fields.list(z.enum(['', 'yes', 'no'], 'invalid'), rows),
	questionMax: fields.list(small('surveyInvalidNumber'), rows),
	questionScaleMin: fields.list(small('surveyInvalidNumber'), rows),
	questionScaleMax: fields.list(small('surveyInvalidNumber'), rows),
	questionLow: fields.list(line(120), rows),
	questionHigh: fields.list(line(120), rows),
	/** Shown only when this earlier question (its key) … */
	questionIf: fields.list(z.string().regex(/^(q\d{1,3})?$/, 'invalid'), rows),
	/** … was answered with one of these options (their numbers, "1, 3"). */
	questionIfOptions: fields.list(line(60), rows)
};

/** A survey as saved, read from the builder's form. */
export interface SurveyValues {
	title: LocalizedText;
	intro: LocalizedText;
	sections: LocalizedText[];
	opensOn: string;
	closesOn: string;
	respondents: SurveyRespondents;
	resultsPublic: boolean;
	questions: SurveyQuestion[];
}

/** "Svenska | English" → { sv, en }; one language alone is both's fallback. */
export function bilingual(text: string): LocalizedText {
	const [sv, en] = text.split('|').map((p) => p.trim());
	return { ...(sv && { sv }), ...(en && { en }) };
}

const lines = (text: string | undefined) =>
	(text ?? '')
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);

/**
 * Reads the builder: every problem at once, each at its field (`question-<n>` for a row's). Keys
 * of existing questions and options are kept; new ones get the next free key.
 */
export function readSurveyForm(
	form: FormData | Record<string, unknown>,
	existing: SurveyQuestion[]
): SurveyValues {
	const raw = form instanceof FormData ? formValues(form, surveyShape) : form;
	const input = parseInput(surveyShape, raw, 'dialogue');
	const problems: FieldProblem<'dialogue'>[] = [];
	if (!input.surveyTitleSv && !input.surveyTitleEn)
		problems.push({ field: 'surveyTitleSv', code: 'surveyTitleMissing' });
	if (input.closesOn < input.opensOn) problems.push({ field: 'closesOn', code: 'surveyDatesOrder' });

	const known = new Map(existing.map((q) => [q.key, q]));
	let next = Math.max(0, ...existing.map((q) => Number(q.key.slice(1)))) + 1;
	const questions: SurveyQuestion[] = [];
	input.questionKey.forEach((key, i) => {
		const sv = input.questionSv[i] ?? '';
		const en = input.questionEn[i] ?? '';
		if (!sv && !en) return; // a blank row, or a question taken away
		const field = `question-${i + 1}`;
		const kind = input.questionKind[i] || 'single';
		const before = key ? known.get(key) : undefined;
		const optionLines = lines(input.questionOptions[i]);
		const needsOptions = kind !== 'scale' && kind !== 'text';
		if (needsOptions && (optionLines.length < 2 || optionLines.length > surveyMaxOptions)) {
			problems.push({ field, code: 'surveyOptionsCount', params: { max: surveyMaxOptions } });
		}
		// An option keeps its key by its place in the list: reordering lines renames nothing once answered (commands.ts refuses that).
		const options = needsOptions
			? optionLines
					.slice(0, surveyMaxOptions)
					.map((l, n) => ({ key: before?.options[n]?.key ?? `o${n + 1}`, text: bilingual(l) }))
			: [];
		const section = Math.max(1, Number(input.questionSection[i] || 1)) - 1;
		let scale: SurveyQuestion['scale'] = null;
		if (kind === 'scale' || kind === 'matrix') {
			const min = Number(input.questionScaleMin[i] || 1);
			const max = Number(input.questionScaleMax[i] || 5);
			if (!(min < max) || max - min > 10 || min < 0) problems.push({ field, code: 'surveyScaleRange' });
			scale = {
				min,
				max,
				low: bilingual(input.questionLow[i] ?? ''),
				high: bilingual(input.questionHigh[i] ?? '')
			};
		}
		const maxChoices = kind === 'multiple' && input.questionMax[i] ? Number(input.questionMax[i]) : null;
		if (maxChoices !== null && (maxChoices < 1 || maxChoices > options.length)) {
			problems.push({ field, code: 'surveyMaxChoices' });
		}
		let condition: SurveyQuestion['condition'] = null;
		const ifKey = input.questionIf[i];
		if (ifKey) {
			const target = questions.find((q) => q.key === ifKey) ?? null;
			const numbers = (input.questionIfOptions[i] ?? '')
				.split(/[ ,;]+/)
				.filter(Boolean)
				.map(Number);
			const chosen = numbers.map((n) => target?.options[n - 1]?.key);
			if (
				!target ||
				(target.kind !== 'single' && target.kind !== 'multiple') ||
				target.section >= section ||
				!chosen.length ||
				chosen.some((c) => !c)
			) {
				// A condition looks back at a choice question of an earlier section (the page without
				// JavaScript is drawn once that answer is known), and names options it has.
				problems.push({ field, code: 'surveyConditionInvalid' });
			} else condition = { question: target.key, options: chosen as string[] };
		}
		questions.push({
			key: before ? before.key : `q${next++}`,
			section,
			kind,
			text: { ...(sv && { sv }), ...(en && { en }) },
			required: input.questionRequired[i] === 'yes',
			options,
			maxChoices,
			scale,
			condition
		});
	});
	if (questions.length > surveyMaxQuestions) problems.push({ field: 'form', code: 'surveyTooManyQuestions' });
	if (problems.length) throw new ValidationError(problems, 'dialogue');
	// Sections are numbered as the questions use them; a heading line names each.
	const headings = lines(input.sections).map(bilingual);
	const used = [...new Set(questions.map((q) => q.section))].sort((a, b) => a - b);
	const renumber = new Map(used.map((s, n) => [s, n]));
	for (const q of questions) q.section = renumber.get(q.section)!;
	questions.sort((a, b) => a.section - b.section);
	return {
		title: {
			...(input.surveyTitleSv && { sv: input.surveyTitleSv }),
			...(input.surveyTitleEn && { en: input.surveyTitleEn })
		},
		intro: { ...(input.introSv && { sv: input.introSv }), ...(input.introEn && { en: input.introEn }) },
		sections: used.map((s) => headings[s] ?? {}),
		opensOn: input.opensOn,
		closesOn: input.closesOn,
		respondents: input.respondents,
		resultsPublic: input.resultsPublic === 'yes',
		questions
	};
}

/** The answer form's own fields: the section just answered and the one-time token. */
export const answerShape = {
	section: z
		.string('invalid')
		.regex(/^\d{1,2}$/, 'invalid')
		.transform(Number),
	clientId: z.string('surveyTokenInvalid').max(200, 'surveyTokenInvalid')
};

/** A moderator shows or hides one free-text answer. */
export const textDecisionShape = {
	response: fields.id,
	question: z.string('invalid').regex(/^q\d{1,3}$/, 'invalid'),
	state: z.enum(surveyTextStates, 'invalid').refine((s) => s !== 'pending', 'invalid')
};
