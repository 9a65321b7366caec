import { z } from 'zod';
import { fields, formValues, line, paragraphs, type Input } from '../../kernel/input.ts';

// The forms of proposals (e-förslag): writing one, editing it, supporting and withdrawing it.
// Field names carry the part's prefix: every part's fields are joined under `dialogue.fields`,
// so a plain `title` would be another part's label.

/** A title: long enough to say what, short enough for a list. */
export const titleMin = 5;
export const titleMax = 120;
/** The proposal's text. */
export const bodyMin = 20;
export const bodyMax = 5000;
/** A place name ("Folkets park, Hörby"). */
export const placeMax = 120;

/** A required text of `min` to `max` characters after cleaning (`required`, `tooShort`, `tooLong`). */
const text = (clean: z.ZodType<string, string>, min: number, code: string) =>
	z.string('required').pipe(clean).pipe(z.string().min(1, 'required').min(min, code));

/** What a participant writes: title, text and (optionally) where. */
export const proposalShape = {
	proposalTitle: text(line(titleMax), titleMin, 'proposalTitleTooShort'),
	proposalBody: text(
		paragraphs(bodyMax).transform((t) => t.replace(/\n{3,}/g, '\n\n')),
		bodyMin,
		'proposalBodyTooShort'
	),
	proposalPlace: line(placeMax).optional()
};
export type ProposalInput = Input<typeof proposalShape>;

/**
 * The first submit of a new proposal shows similar ones; the second, with `anyway`, saves it
 * whatever is similar.
 */
export const submitShape = {
	...proposalShape,
	anyway: z.literal('1', 'invalid').optional()
};
export type SubmitInput = Input<typeof submitShape>;

/** Withdrawing asks for a tick in a box: it cannot be undone. */
export const withdrawShape = {
	confirmWithdraw: z.literal('yes', 'proposalConfirmWithdraw')
};

/** The proposal page's query string: `?saved` after the author's edit. */
export const proposalPageShape = {
	saved: fields.present,
	/** Back from the flag page. */
	flagged: fields.present
};

/** What was typed into the proposal form, to show it again (strings only, never a file). */
export function proposalFormValues(form: FormData): {
	proposalTitle: string;
	proposalBody: string;
	proposalPlace: string;
} {
	const sent = formValues(form, proposalShape);
	const str = (v: unknown) => (typeof v === 'string' ? v : '');
	return {
		proposalTitle: str(sent.proposalTitle),
		proposalBody: str(sent.proposalBody),
		proposalPlace: str(sent.proposalPlace)
	};
}
