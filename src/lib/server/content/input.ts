import { z } from 'zod';
import { fields, type Input } from '../kernel/input.ts';
import { articleKinds } from './schema.ts';

/**
 * What the inspiration bank's public pages and API read from their addresses. The workspace's
 * forms and filters are in workspace/input.ts.
 */

/** Cards a page of the listing and of search. */
export const pageSize = 20;

/** Free text where a text that cleans to nothing (only spaces, a NUL) is no filter at all. */
const freeText = fields.query.transform((q) => q || undefined);

/** A kind of inspiration ("method", "case-story" …). */
export const kind = z.enum(articleKinds, 'invalidKind');

/**
 * /inspiration and the filters of /api/v1/articles. `sdg` is a goal ("16") or a target ("16.7").
 * The order is the order problems are named in.
 */
export const inspirationQuery = {
	theme: fields.theme.optional(),
	kind: kind.optional(),
	sdg: fields.goalOrTarget.optional(),
	country: fields.country.optional(),
	q: freeText.optional(),
	page: fields.page.default(1)
};

/** A listing's filters, as read from its address. */
export type InspirationFilter = Input<typeof inspirationQuery>;

/** /search: a free text (empty shows the search form) and a page. */
export const searchQuery = {
	q: fields.query.default(''),
	page: fields.page.default(1)
};

/** /feed.xml: one theme's articles, or all. */
export const feedQuery = {
	theme: fields.theme.optional()
};

/** `lang` of the API: the language of the answer (Swedish unless asked). */
const apiLang = { lang: fields.lang.default('sv') };

/** GET /api/v1/articles: the listing's filters, in a language, `per_page` at a time. */
export const articlesApiQuery = {
	...apiLang,
	per_page: fields.perPage.default(pageSize),
	...inspirationQuery
};

/** GET /api/v1/articles/<slug> (the slug is checked by the route's matcher). */
export const articleApiQuery = { ...apiLang };

/** GET /api/v1/goals and /api/v1/goals/<n>. */
export const goalsApiQuery = { ...apiLang };

/**
 * The `<n>` of /api/v1/goals/<n>: a number of up to three digits. A number that is no goal
 * (`99`) is a 404, as any address that names nothing; only what is not a number is a 400.
 */
export const goalNumber = z
	.string('invalidGoal')
	.regex(/^\d{1,3}$/, 'invalidGoal')
	.transform(Number);
