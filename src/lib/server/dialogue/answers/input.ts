import { z } from 'zod';
import {
	fields,
	line,
	paragraphs,
	readForm,
	readQuery,
	requiredLine,
	type Shape
} from '../../kernel/input.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { answerStates, type AnswerState } from '../schema.ts';

// The answerers' forms: a draft answer to a proposal (its text and the deciding body in each of
// the space's languages), publishing drafts together, and the space's answer templates.

/** The longest answer text, per language. */
export const answerTextMax = 5000;
/** The deciding body's name ("Kommunstyrelsen"), per language. */
export const decidedByMax = 200;
export const templateNameMax = 120;
/** Drafts published in one go: more than a page of them is not one decision. */
export const publishMax = 200;

const state = z.enum(answerStates, 'invalidAnswerState');

/** A link to the decision: http or https only, as typed (trimmed). */
const decisionUrl = z
	.string('invalidDecisionUrl')
	.max(2000, 'invalidDecisionUrl')
	.transform((v) => v.trim())
	.pipe(z.url({ protocol: /^https?$/, message: 'invalidDecisionUrl' }));

/** The per-language fields' names: `text_sv`, `decidedBy_en` … */
export const textField = (language: string) => `text_${language}`;
export const decidedByField = (language: string) => `decidedBy_${language}`;

/** The texts in each of the space's languages: every one required (the answer is in them all). */
function textFields(languages: readonly string[], withDecidedBy: boolean): Shape {
	const shape: Shape = {};
	languages.forEach((language, i) => {
		shape[textField(language)] = z
			.string('required')
			.pipe(paragraphs(answerTextMax, 'answerTooLong'))
			.pipe(z.string().min(1, 'required'));
		if (withDecidedBy) {
			// Required in the space's main language; the others fall back to it when shown.
			shape[decidedByField(language)] = i === 0 ? requiredLine(decidedByMax) : line(decidedByMax).optional();
		}
	});
	return shape;
}

function collect(read: Record<string, unknown>, languages: readonly string[], name: (l: string) => string) {
	const text: LocalizedText = {};
	for (const language of languages) {
		const value = read[name(language)];
		if (typeof value === 'string' && value) text[language] = value;
	}
	return text;
}

export interface DraftInput {
	/** The draft being changed, or none for a new one. */
	answer?: number;
	proposal: number;
	state: AnswerState;
	text: LocalizedText;
	decidedBy: LocalizedText;
	decisionUrl: string | null;
}

/** The draft answer form, for a space in these languages (the first the main one). */
export function readDraftForm(
	form: FormData | Record<string, unknown>,
	languages: readonly string[]
): DraftInput {
	const shape = {
		answer: fields.id.optional(),
		proposal: fields.id,
		state,
		...textFields(languages, true),
		// After the texts: the error summary lists problems in the form's order.
		decisionUrl: decisionUrl.optional()
	};
	const read = readForm(form, shape, 'dialogue') as Record<string, unknown>;
	return {
		answer: read.answer as number | undefined,
		proposal: read.proposal as number,
		state: read.state as AnswerState,
		text: collect(read, languages, textField),
		decidedBy: collect(read, languages, decidedByField),
		decisionUrl: (read.decisionUrl as string | undefined) ?? null
	};
}

/** Publishing: the drafts chosen (checkboxes named `answer`), at least one. */
export const publishShape = {
	answer: z.array(fields.id, 'noDraftsChosen').min(1, 'noDraftsChosen').max(publishMax, 'tooLong')
};

/** One draft, to delete. */
export const draftShape = { answer: fields.id };

export interface TemplateInput {
	template?: number;
	name: string;
	state: AnswerState;
	text: LocalizedText;
}

/** A template: a name, the state it answers with and its text in the space's languages. */
export function readTemplateForm(
	form: FormData | Record<string, unknown>,
	languages: readonly string[]
): TemplateInput {
	const shape = {
		template: fields.id.optional(),
		name: requiredLine(templateNameMax),
		state,
		...textFields(languages, false)
	};
	const read = readForm(form, shape, 'dialogue') as Record<string, unknown>;
	return {
		template: read.template as number | undefined,
		name: read.name as string,
		state: read.state as AnswerState,
		text: collect(read, languages, textField)
	};
}

/** One template, to delete. */
export const templateShape = { template: fields.id };

/** The answer page's query: start from a template (`?template=3`). */
export function readAnswerQuery(params: URLSearchParams): { template?: number } {
	return readQuery(params, { template: fields.id.optional() }, 'dialogue');
}

/** The names of every field a form in these languages sends, to show what was typed again. */
export function answerFieldNames(languages: readonly string[]): string[] {
	return [
		'answer',
		'proposal',
		'template',
		'name',
		'state',
		'decisionUrl',
		...languages.flatMap((l) => [textField(l), decidedByField(l)])
	];
}

/** A work list's address: `?page=<n>` (the answerers' list, the moderation queues). */
export const workPageShape = { page: fields.page.default(1) };
