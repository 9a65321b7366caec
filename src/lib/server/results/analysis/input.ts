import { z } from 'zod';
import { fields, paragraphs, readForm, type Shape } from '../../kernel/input.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { locales } from '#lib/i18n/locales.ts';

// The analysis's inputs: the year and version in its addresses (numbers by the `id` matcher), and
// the editors' form choosing quotes: a checkbox per approved report's principle text, with an
// optional excerpt per language (else the whole text is quoted).

export const excerptMax = 2000;

/** A principle text of a report, as the form names it: "<report id>-<principle>". */
export const quoteKey = (reportId: number, principle: string) => `${reportId}-${principle}`;

export const field = {
	chosen: 'chosen',
	excerpt: (key: string, l: string) => `excerpt_${key}_${l}`
};

export interface QuoteChoice {
	reportId: number;
	principle: string;
	excerpt: LocalizedText;
}

/** A year the analysis can be about; anything else is a page that does not exist. */
export function analysisYear(year: number): number {
	if (year < 1990 || year > 2100) throw new NotFoundError('analysis');
	return year;
}

/** Reads the quote form against the texts it offered (a key not offered is `unknownQuote`). */
export function readQuoteForm(
	form: FormData | Record<string, unknown>,
	offered: readonly { reportId: number; principle: string }[]
): QuoteChoice[] {
	const keys = offered.map((o) => quoteKey(o.reportId, o.principle));
	const shape: Shape = {
		[field.chosen]: fields.list(z.enum(keys.length ? keys : ['-'], 'unknownQuote'), 500)
	};
	for (const key of keys)
		for (const l of locales) shape[field.excerpt(key, l)] = paragraphs(excerptMax, 'tooLong').optional();
	const read = readForm(form, shape, 'results') as Record<string, unknown>;
	const chosen = new Set(read[field.chosen] as string[]);
	return offered
		.filter((o) => chosen.has(quoteKey(o.reportId, o.principle)))
		.map((o) => {
			const excerpt: LocalizedText = {};
			for (const l of locales) {
				const v = read[field.excerpt(quoteKey(o.reportId, o.principle), l)];
				if (typeof v === 'string' && v !== '') excerpt[l] = v;
			}
			return { reportId: o.reportId, principle: o.principle, excerpt };
		});
}
