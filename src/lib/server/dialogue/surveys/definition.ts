import { surveyTextMax } from '../../../dialogue-values.ts';
import type { SurveyQuestion } from './schema.ts';

// What a survey's questions mean for one person's answers, with no database: which questions
// show (conditions), which section comes next, what a form's fields say, and what is wrong with
// them. The answer page, the stored response and the results all read answers through here.

/** One question's answer: chosen options, a scale point, text, or a value per option or statement. */
export type Answer = string[] | number | string | Record<string, number>;
export type Answers = Record<string, Answer>;

/** A form field's name for a question, or for one of its options or statements. */
export const fieldName = (question: string, item?: string) =>
	item ? `a_${question}_${item}` : `a_${question}`;

/** Whether a question shows, given the answers to earlier sections. */
export function shows(question: SurveyQuestion, answers: Answers): boolean {
	if (!question.condition) return true;
	const given = answers[question.condition.question];
	return Array.isArray(given) && given.some((o) => question.condition!.options.includes(o));
}

/** The sections in order, each with the questions that show in it (a section with none is skipped). */
export function sectionsShown(questions: SurveyQuestion[], answers: Answers): number[] {
	const sections = new Set<number>();
	for (const q of questions) if (shows(q, answers)) sections.add(q.section);
	return [...sections].sort((a, b) => a - b);
}

type Form = { getAll(name: string): unknown[] };

const strings = (form: Form, name: string) =>
	form.getAll(name).filter((v): v is string => typeof v === 'string');

const integer = (raw: string | undefined) => {
	const text = raw?.trim() ?? '';
	return /^-?\d{1,3}$/.test(text) ? Number(text) : null;
};

/** A problem with one answer: the field it is shown at and what is wrong. */
export interface AnswerProblem {
	field: string;
	code:
		| 'surveyRequired'
		| 'surveyTooManyChoices'
		| 'surveyRankingOrder'
		| 'surveyTextTooLong'
		| 'surveyInvalidAnswer';
	max?: number;
}

/**
 * Reads the answers of the given sections from the form, and what is wrong with them. Answers to
 * questions that do not show are dropped; a required question that shows must be answered.
 */
export function readAnswers(
	questions: SurveyQuestion[],
	form: Form,
	sections: readonly number[]
): { answers: Answers; problems: AnswerProblem[] } {
	const answers: Answers = {};
	const problems: AnswerProblem[] = [];
	// Questions in order: a condition only looks back, so earlier answers are read first.
	for (const q of questions) {
		if (!sections.includes(q.section) || !shows(q, answers)) continue;
		const name = fieldName(q.key);
		const keys = new Set(q.options.map((o) => o.key));
		const missing = () => q.required && problems.push({ field: name, code: 'surveyRequired' });
		switch (q.kind) {
			case 'single':
			case 'multiple': {
				const chosen = [
					...new Set(
						strings(form, name)
							.map((v) => v.trim())
							.filter(Boolean)
					)
				];
				if (chosen.some((c) => !keys.has(c)) || (q.kind === 'single' && chosen.length > 1)) {
					problems.push({ field: name, code: 'surveyInvalidAnswer' });
				} else if (chosen.length === 0) missing();
				else if (q.kind === 'multiple' && q.maxChoices && chosen.length > q.maxChoices) {
					problems.push({ field: name, code: 'surveyTooManyChoices', max: q.maxChoices });
					answers[q.key] = chosen;
				} else answers[q.key] = chosen;
				break;
			}
			case 'scale': {
				const raw = strings(form, name)[0]?.trim() ?? '';
				const value = integer(raw);
				if (!raw) missing();
				else if (value === null || !q.scale || value < q.scale.min || value > q.scale.max) {
					problems.push({ field: name, code: 'surveyInvalidAnswer' });
				} else answers[q.key] = value;
				break;
			}
			case 'text': {
				const text = (strings(form, name)[0] ?? '').replace(/\r\n?/g, '\n').trim();
				if (!text) missing();
				else if (text.length > surveyTextMax) {
					problems.push({ field: name, code: 'surveyTextTooLong', max: surveyTextMax });
					answers[q.key] = text;
				} else answers[q.key] = text;
				break;
			}
			case 'ranking':
			case 'matrix': {
				const values: Record<string, number> = {};
				let invalid = false;
				for (const o of q.options) {
					const raw = strings(form, fieldName(q.key, o.key))[0]?.trim() ?? '';
					if (!raw) continue;
					const value = integer(raw);
					const [min, max] =
						q.kind === 'ranking' ? [1, q.options.length] : [q.scale?.min ?? 1, q.scale?.max ?? 5];
					if (value === null || value < min || value > max) invalid = true;
					else values[o.key] = value;
				}
				const given = Object.keys(values).length;
				if (invalid) problems.push({ field: name, code: 'surveyInvalidAnswer' });
				else if (given === 0) missing();
				else if (
					q.kind === 'ranking' &&
					(given !== q.options.length || new Set(Object.values(values)).size !== given)
				) {
					// A ranking gives every option its own place, or none at all.
					problems.push({ field: name, code: 'surveyRankingOrder', max: q.options.length });
					answers[q.key] = values;
				} else if (q.kind === 'matrix' && q.required && given !== q.options.length) {
					problems.push({ field: name, code: 'surveyRequired' });
					answers[q.key] = values;
				} else answers[q.key] = values;
				break;
			}
		}
	}
	return { answers, problems };
}

/** The rows a response stores: one per chosen option, scale point, ranked option, statement or text. */
export function answerRows(questions: SurveyQuestion[], answers: Answers) {
	const rows: { question: string; item: string; value: number | null; text: string | null }[] = [];
	for (const q of questions) {
		const a = answers[q.key];
		if (a === undefined) continue;
		if (Array.isArray(a)) for (const item of a) rows.push({ question: q.key, item, value: null, text: null });
		else if (typeof a === 'number') rows.push({ question: q.key, item: '', value: a, text: null });
		else if (typeof a === 'string') rows.push({ question: q.key, item: '', value: null, text: a });
		else
			for (const [item, value] of Object.entries(a)) rows.push({ question: q.key, item, value, text: null });
	}
	return rows;
}

/** The form fields that carry the given answers (for the next section's page, without JavaScript). */
export function answerFields(questions: SurveyQuestion[], answers: Answers): [string, string][] {
	return answerRows(questions, answers).map((r) =>
		r.text !== null
			? [fieldName(r.question), r.text]
			: r.value === null
				? [fieldName(r.question), r.item]
				: [fieldName(r.question, r.item || undefined), String(r.value)]
	);
}
