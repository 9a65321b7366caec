import { z } from 'zod';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { fields, line } from '../kernel/input.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { isDocumentFileName, storageKeyPattern, variantFilePattern } from '#lib/media-urls.ts';
import { mediaKinds } from './schema.ts';

/** Long enough to describe a picture; a longer description belongs in the text or a caption. */
export const maxAltLength = 300;

/** One language's alt text: one line, white space collapsed; empty means none. */
const altText = line(maxAltLength).optional();

/** The alt text fields of a form, one per interface language: `alt_sv`, `alt_en` … */
export const altFields = Object.fromEntries(locales.map((l) => [`alt_${l}`, altText])) as {
	[L in Locale as `alt_${L}`]: typeof altText;
};

/** The alt text per language from the fields read with `altFields`, without empty ones. */
export function altOf(values: Partial<Record<`alt_${Locale}`, string>>): LocalizedText {
	const alt: LocalizedText = {};
	for (const l of locales) {
		const text = values[`alt_${l}`];
		if (text) alt[l] = text;
	}
	return alt;
}

/** `/admin/media?page=2&kind=image` */
export const libraryQuery = {
	page: fields.page.optional(),
	kind: z.enum(mediaKinds, 'invalidKind').optional()
};

/** The upload form: a file, and alt text in any of the languages (an image needs one). */
export const uploadForm = { file: fields.file, ...altFields };

/** Changing an image's alt text: every language at once (an empty field removes that one). */
export const altForm = { id: fields.id, ...altFields };

/** Deleting a file from the library; `confirm` ticked when pages show it and go without it. */
export const deleteForm = { id: fields.id, confirm: fields.tick };

/** A file another module adds to the library (a partnership's PDF, the demo's documents). */
export const libraryFile = {
	/** What the uploader's computer called it (only a cleaned-up copy is kept). */
	fileName: z.string('fileMissing').max(1000, 'fileMissing'),
	...altFields
};

/**
 * `/media/<key>/<file>`: one width of an image (`640.webp`) or a document under its download
 * name (`rapport.pdf`), by the patterns the HTML sanitiser lets through. Anything else is no
 * file at all (a 404), so this is read with `safeParse`, not the reader's 400.
 */
export const servedFileParams = z.object({
	key: z.string().regex(storageKeyPattern),
	file: z.union([
		z
			.string()
			.regex(variantFilePattern)
			.transform((file) => ({ width: Number(variantFilePattern.exec(file)![1]), document: null })),
		z
			.string()
			.refine(isDocumentFileName)
			.transform((file) => ({ width: null, document: file }))
	])
});
