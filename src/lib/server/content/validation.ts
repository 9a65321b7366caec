import { z } from 'zod';
import { ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import { articleKinds, articleStatuses, type ArticleKind } from './schema.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';

/** Longest free-text query we accept; longer ones are refused with a message, not truncated. */
export const maxQueryLength = 200;
export const pageSize = 20;
/** Far beyond any real listing; keeps OFFSET from being used as a denial of service. */
const maxPage = 1000;

/** What a listing of inspiration can be filtered by (the /inspiration page and the API). */
export interface InspirationFilter {
	theme?: string;
	kind?: ArticleKind;
	/** A goal ("16") … */
	goal?: number;
	/** … or a target ("16.7"), never both. */
	target?: string;
	country?: string;
	q?: string;
	page: number;
}

/** Free text: control characters (NUL above all, which PostgreSQL refuses) become spaces. */
const freeText = z
	.string()
	.max(maxQueryLength)
	.transform((s) => withoutControlCharacters(s).trim());

export function withoutControlCharacters(s: string): string {
	// eslint-disable-next-line no-control-regex
	return s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

const themeKey = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);
const sdgValue = z.string().regex(/^(1[0-7]|[1-9])(\.(\d{1,2}|[a-z]))?$/);
const country = z.string().regex(/^[A-Za-z]{2}$/);
const positiveInt = (max: number) =>
	z
		.string()
		.regex(/^\d{1,7}$/)
		.transform(Number)
		.pipe(z.number().int().min(1).max(max));

/** Reads one parameter; a parameter given twice is an error, not a silent pick. */
function single(params: URLSearchParams, name: string, problems: FieldProblem<'content'>[]) {
	const values = params.getAll(name);
	if (values.length > 1) {
		problems.push({ field: name, code: 'repeated' });
		return undefined;
	}
	const value = values[0]?.trim();
	return value === '' ? undefined : value;
}

function check<T>(
	schema: z.ZodType<T, string>,
	value: string | undefined,
	field: string,
	code: ErrorCode<'content'>,
	problems: FieldProblem<'content'>[]
): T | undefined {
	if (value === undefined) return undefined;
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	problems.push({ field, code });
	return undefined;
}

/**
 * Parses the query string of /inspiration and /api/v1/articles. Throws a ValidationError naming
 * every bad parameter; unknown parameters are ignored so shared links with tracking tags work.
 */
export function parseInspirationFilter(params: URLSearchParams): InspirationFilter {
	const problems: FieldProblem<'content'>[] = [];
	const filter: InspirationFilter = { page: 1 };
	filter.theme = check(themeKey, single(params, 'theme', problems), 'theme', 'invalidTheme', problems);
	filter.kind = check(
		z.enum(articleKinds),
		single(params, 'kind', problems),
		'kind',
		'invalidKind',
		problems
	);
	const sdg = check(sdgValue, single(params, 'sdg', problems), 'sdg', 'invalidSdg', problems);
	if (sdg) {
		if (sdg.includes('.')) filter.target = sdg;
		else filter.goal = Number(sdg);
	}
	filter.country = check(
		country,
		single(params, 'country', problems),
		'country',
		'invalidCountry',
		problems
	)?.toUpperCase();
	filter.q = check(freeText, single(params, 'q', problems), 'q', 'queryTooLong', problems) || undefined;
	filter.page =
		check(positiveInt(maxPage), single(params, 'page', problems), 'page', 'invalidPage', problems) ?? 1;
	if (problems.length) throw new ValidationError(problems, 'content');
	return filter;
}

/** `lang` of the API: one of the interface languages, default Swedish. */
export function parseLang(params: URLSearchParams, fallback: Locale): Locale {
	const problems: FieldProblem<'content'>[] = [];
	const lang = check(z.enum(locales), single(params, 'lang', problems), 'lang', 'invalidLang', problems);
	if (problems.length) throw new ValidationError(problems, 'content');
	return lang ?? fallback;
}

/** `per_page` of the API, at most 100. */
export function parsePerPage(params: URLSearchParams): number {
	const problems: FieldProblem<'content'>[] = [];
	const perPage = check(
		positiveInt(100),
		single(params, 'per_page', problems),
		'per_page',
		'invalidPerPage',
		problems
	);
	if (problems.length) throw new ValidationError(problems, 'content');
	return perPage ?? pageSize;
}

/** The search page's query: a free text of at most `maxQueryLength` characters. */
export function parseSearch(params: URLSearchParams): { q: string; page: number } {
	const problems: FieldProblem<'content'>[] = [];
	const q = check(freeText, single(params, 'q', problems), 'q', 'queryTooLong', problems) ?? '';
	const page =
		check(positiveInt(maxPage), single(params, 'page', problems), 'page', 'invalidPage', problems) ?? 1;
	if (problems.length) throw new ValidationError(problems, 'content');
	return { q, page };
}

const localizedArticleText = z.object({
	title: z.string().trim().min(1).max(200),
	teaser: z.string().trim().min(1).max(400),
	body: z.string().max(200_000)
});

/** An article as a whole, as the seed, the corpus generator and (later) the editor save it. */
export const articleInputSchema = z.object({
	slug: z
		.string()
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
		.max(120),
	kind: z.enum(articleKinds),
	status: z.enum(articleStatuses),
	publishedAt: z.coerce.date().nullable(),
	themes: z.array(themeKey).max(20),
	goals: z.array(z.number().int().min(1).max(17)).max(17),
	targets: z.array(z.string().regex(/^(1[0-7]|[1-9])\.(\d{1,2}|[a-z])$/)).max(50),
	countries: z.array(country.transform((c) => c.toUpperCase())).max(50),
	organizationIds: z.array(z.number().int().positive()).max(50),
	partnershipId: z.number().int().positive().nullable(),
	translations: z.partialRecord(z.enum(locales), localizedArticleText)
});
