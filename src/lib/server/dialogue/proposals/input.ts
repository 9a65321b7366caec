import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { fields, formValues, line, paragraphs, parseInput, type Input } from '../../kernel/input.ts';

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

/** A photo's alt text: long enough to describe it (the media library's limit). */
export const photoAltMax = 300;

/**
 * An optional photo (JPEG, PNG or WebP through the media pipeline) and its alt text, in the
 * proposal's language. The bytes are checked by the pipeline; the shape only says what was sent.
 */
export const photoShape = {
	proposalPhoto: fields.file.optional(),
	proposalPhotoAlt: line(photoAltMax, 'proposalPhotoAltTooLong').optional()
};

/** What a participant writes: title, text, (optionally) where, and (optionally) a photo. */
export const proposalShape = {
	proposalTitle: text(line(titleMax), titleMin, 'proposalTitleTooShort'),
	proposalBody: text(
		paragraphs(bodyMax).transform((t) => t.replace(/\n{3,}/g, '\n\n')),
		bodyMin,
		'proposalBodyTooShort'
	),
	proposalPlace: line(placeMax).optional(),
	...photoShape
};
export type ProposalInput = Input<typeof proposalShape>;

/** The author's edit: the same fields, and a tick to take the photo away. */
export const editShape = {
	...proposalShape,
	removePhoto: z.literal('yes', 'invalid').optional()
};
export type EditInput = Input<typeof editShape>;

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

/**
 * A form's fields read together with what one field cannot see alone: an alt text is required
 * with a photo, and an alt text without a photo means the photo was left behind (the similar
 * step cannot keep a chosen file: the browser sends it once). Every problem at once.
 */
export function readProposalForm<S extends typeof proposalShape>(
	form: FormData | Record<string, unknown>,
	shape: S
): Input<S> {
	const raw = form instanceof FormData ? formValues(form, shape) : form;
	let parsed: Input<S> | undefined;
	const problems: FieldProblem<'dialogue'>[] = [];
	try {
		parsed = parseInput(shape, raw, 'dialogue');
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		problems.push(...(e as ValidationError<'dialogue'>).problems);
	}
	const has = (field: string) => problems.some((p) => p.field === field);
	const photo = raw.proposalPhoto instanceof File && raw.proposalPhoto.size > 0;
	const alt = typeof raw.proposalPhotoAlt === 'string' && raw.proposalPhotoAlt.trim() !== '';
	if (photo && !alt && !has('proposalPhotoAlt')) {
		problems.push({ field: 'proposalPhotoAlt', code: 'proposalPhotoAltRequired' });
	}
	if (!photo && alt && !has('proposalPhoto') && raw.removePhoto === undefined) {
		problems.push({ field: 'proposalPhoto', code: 'proposalPhotoMissing' });
	}
	if (problems.length || !parsed) throw new ValidationError(problems, 'dialogue');
	return parsed;
}

/** What was typed into the proposal form, to show it again (strings only, never a file). */
export function proposalFormValues(form: FormData): {
	proposalTitle: string;
	proposalBody: string;
	proposalPlace: string;
	proposalPhotoAlt: string;
	removePhoto: boolean;
	/** A photo was chosen: it must be chosen again if the form comes back. */
	photoSent: boolean;
} {
	const sent = formValues(form, editShape);
	const str = (v: unknown) => (typeof v === 'string' ? v : '');
	return {
		proposalTitle: str(sent.proposalTitle),
		proposalBody: str(sent.proposalBody),
		proposalPlace: str(sent.proposalPlace),
		proposalPhotoAlt: str(sent.proposalPhotoAlt),
		removePhoto: sent.removePhoto === 'yes',
		photoSent: sent.proposalPhoto instanceof File
	};
}
