import { z } from 'zod';
import { ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { articleKinds } from './schema.ts';

/**
 * The article editor's form: what the workspace posts when an article is saved. Every field is
 * checked here; a failure names each bad field with a message code, and the typed values go back
 * to the form untouched.
 */

/** What the form posted, as strings and lists of strings: shown again if saving fails. */
export interface ArticleFormValues {
	slug: string;
	kind: string;
	themes: string[];
	goals: string[];
	targets: string[];
	countries: string[];
	organizationIds: string[];
	partnershipId: string;
	/** The article's `updatedAt` when the editor opened it, to refuse overwriting another's save. */
	version: string;
	translations: Record<Locale, { title: string; teaser: string; body: string }>;
}

export function articleFormValues(form: FormData): ArticleFormValues {
	const text = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	const list = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
	return {
		slug: text('slug').trim(),
		kind: text('kind'),
		themes: list('themes'),
		goals: list('goals'),
		targets: list('targets'),
		countries: list('countries'),
		organizationIds: list('organizationIds'),
		partnershipId: text('partnershipId'),
		version: text('version'),
		translations: Object.fromEntries(
			locales.map((l) => [
				l,
				{ title: text(`title_${l}`), teaser: text(`teaser_${l}`), body: text(`body_${l}`) }
			])
		) as ArticleFormValues['translations']
	};
}

// The message of each check is its error code (errors.<code> in the catalogue).
const id = z
	.string()
	.regex(/^\d{1,9}$/, 'invalidArticle')
	.transform(Number);
const fields = z.object({
	slug: z
		.string()
		.min(1, 'required')
		.max(120, 'tooLong')
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'invalidSlug'),
	kind: z.enum(articleKinds, 'invalidKind'),
	themes: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'invalidTheme')).max(20, 'tooLong'),
	goals: z
		.array(
			z
				.string()
				.regex(/^(1[0-7]|[1-9])$/, 'invalidGoal')
				.transform(Number)
		)
		.max(17, 'tooLong'),
	targets: z.array(z.string().regex(/^(1[0-7]|[1-9])\.(\d{1,2}|[a-z])$/, 'unknownTarget')).max(50, 'tooLong'),
	countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'invalidCountry')).max(50, 'tooLong'),
	organizationIds: z.array(id).max(50, 'tooLong'),
	partnershipId: z.union([z.literal('').transform(() => null), id]),
	version: z.string().max(40, 'invalidArticle')
});

const maxTitle = 200;
const maxTeaser = 400;
const maxBody = 200_000;

export interface ParsedArticleForm {
	slug: string;
	kind: (typeof articleKinds)[number];
	themes: string[];
	goals: number[];
	targets: string[];
	countries: string[];
	organizationIds: number[];
	partnershipId: number | null;
	version: string;
	/** Only the languages that have any text; each has a title and a teaser. */
	translations: Partial<Record<Locale, { title: string; teaser: string; body: string }>>;
}

/** Checks the posted values; throws a ValidationError naming every bad field. */
export function parseArticleForm(values: ArticleFormValues): ParsedArticleForm {
	const problems: FieldProblem<'content'>[] = [];
	const parsed = fields.safeParse(values);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0]);
			if (!problems.some((p) => p.field === field))
				problems.push({ field, code: issue.message as ErrorCode<'content'> });
		}
	}
	const translations: ParsedArticleForm['translations'] = {};
	for (const lang of locales) {
		const t = values.translations[lang];
		const title = t.title.trim();
		const teaser = t.teaser.trim();
		const body = t.body.trim();
		if (!title && !teaser && !body) continue;
		if (!title) problems.push({ field: `title_${lang}`, code: 'required' });
		else if (title.length > maxTitle) problems.push({ field: `title_${lang}`, code: 'tooLong' });
		if (!teaser) problems.push({ field: `teaser_${lang}`, code: 'required' });
		else if (teaser.length > maxTeaser) problems.push({ field: `teaser_${lang}`, code: 'tooLong' });
		if (body.length > maxBody) problems.push({ field: `body_${lang}`, code: 'tooLong' });
		translations[lang] = { title, teaser, body };
	}
	if (!Object.keys(translations).length) problems.push({ field: 'translations', code: 'translationMissing' });
	if (problems.length || !parsed.success) throw new ValidationError(problems, 'content');
	return { ...parsed.data, translations };
}

/** A blank form for a new article. */
export function emptyArticleForm(): ArticleFormValues {
	return articleFormValues(new FormData());
}

/** The form filled with a saved article's content. */
export function articleToFormValues(a: {
	slug: string;
	kind: string;
	themes: string[];
	goals: number[];
	targets: string[];
	countries: string[];
	organizationIds: number[];
	partnershipId: number | null;
	version: string;
	translations: Partial<Record<Locale, { title: string; teaser: string; body: string }>>;
}): ArticleFormValues {
	return {
		slug: a.slug,
		kind: a.kind,
		themes: a.themes,
		goals: a.goals.map(String),
		targets: a.targets,
		countries: a.countries,
		organizationIds: a.organizationIds.map(String),
		partnershipId: a.partnershipId === null ? '' : String(a.partnershipId),
		version: a.version,
		translations: Object.fromEntries(
			locales.map((l) => [l, a.translations[l] ?? { title: '', teaser: '', body: '' }])
		) as ArticleFormValues['translations']
	};
}
