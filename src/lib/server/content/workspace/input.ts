import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import {
	fields,
	formValues,
	line,
	paragraphs,
	readForm,
	readQuery,
	requiredLine,
	type Input,
	type Shape
} from '../../kernel/input.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { slugify } from '#lib/slug.ts';
import { articleStatuses, type ArticleKind } from '../schema.ts';
import { kind } from '../input.ts';
import { workflowStepNames } from './workflow.ts';

/**
 * The workspace's forms and filters: the article editor, the list's filter, the revisions'
 * compare and restore, the workflow's steps. A failure names each bad field with its code.
 */

// ---------------------------------------------------------------------------------------------
// The article editor

/** The longest title, teaser and body the editor saves, in characters. */
export const articleLimits = { title: 200, teaser: 400, body: 200_000 } as const;

/** Everything but the texts. */
const articleFields = {
	slug: requiredLine(120).pipe(fields.slug),
	kind,
	themes: fields.list(fields.theme, 20),
	goals: fields.list(fields.goal, 17),
	targets: fields.list(fields.target, 50),
	countries: fields.list(fields.country, 50),
	organizationIds: fields.list(fields.id, 50),
	/** "No partnership" is the empty choice. */
	partnershipId: fields.id.optional().transform((id) => id ?? null),
	/** "No picture" is the empty choice. */
	leadImageId: fields.id.optional().transform((id) => id ?? null)
};

/** One language's texts: `title_sv`, `teaser_sv`, `body_sv` … */
const textFields = (lang: Locale) => ({
	[`title_${lang}`]: line(articleLimits.title).optional(),
	[`teaser_${lang}`]: paragraphs(articleLimits.teaser).optional(),
	[`body_${lang}`]: paragraphs(articleLimits.body).optional()
});

/**
 * The article's `updatedAt` when the editor opened it: a save without it, or with another, is
 * refused rather than written over someone else's.
 */
const versionField = { version: z.string('invalidArticle').max(40, 'invalidArticle') };

/** What the editor posts for a new article. */
export const articleForm: Shape = Object.assign({}, articleFields, ...locales.map(textFields));

/** What the editor posts when it saves an article it opened. */
export const articleSaveForm: Shape = { ...articleForm, ...versionField };

/** An article's content as the editor saves it, and as a revision keeps it (never the status). */
export interface ArticleContent {
	slug: string;
	kind: ArticleKind;
	themes: string[];
	goals: number[];
	targets: string[];
	countries: string[];
	organizationIds: number[];
	partnershipId: number | null;
	/** A library image (revisions from before pictures have none). */
	leadImageId?: number | null;
	/** Only the languages that have any text; each has a title and a teaser. */
	translations: Partial<Record<Locale, { title: string; teaser: string; body: string }>>;
}

/** Runs a read, keeping its problems instead of throwing, so that one answer names them all. */
function collect<T>(problems: FieldProblem<'content'>[], read: () => T): T | undefined {
	try {
		return read();
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		problems.push(...(e.problems as FieldProblem<'content'>[]));
		return undefined;
	}
}

/**
 * Reads the editor's form: the fields, each language's texts (a language with any text needs a
 * title and a teaser; at least one language is needed), and the version when saving. Throws a
 * ValidationError naming every bad field.
 */
export function readArticleForm(form: FormData | Record<string, unknown>): ArticleContent;
export function readArticleForm(
	form: FormData | Record<string, unknown>,
	options: { version: true }
): ArticleContent & { version: string };
export function readArticleForm(
	form: FormData | Record<string, unknown>,
	options: { version?: boolean } = {}
): ArticleContent & { version?: string } {
	const typed = form instanceof FormData ? formValues(form, articleSaveForm) : form;
	// An address left blank comes from the title (Swedish first); `uniqueSlug` finds a free one.
	const raw = slugLeftBlank(typed) ? { ...typed, slug: slugFromTitle(typed) } : typed;
	const problems: FieldProblem<'content'>[] = [];
	const base = collect(problems, () => readForm(raw, articleFields, 'content'));
	const version = options.version
		? collect(problems, () => readForm(raw, versionField, 'content'))?.version
		: undefined;
	const translations: ArticleContent['translations'] = {};
	// Whether any language has text (a language whose text is refused counts: it is named).
	let written = false;
	for (const lang of locales) {
		const texts = collect(problems, () => readForm(raw, textFields(lang), 'content'));
		if (!texts) {
			written = true;
			continue;
		}
		const title = (texts[`title_${lang}`] as string | undefined) ?? '';
		const teaser = (texts[`teaser_${lang}`] as string | undefined) ?? '';
		const body = (texts[`body_${lang}`] as string | undefined) ?? '';
		if (!title && !teaser && !body) continue;
		written = true;
		if (!title) problems.push({ field: `title_${lang}`, code: 'required' });
		if (!teaser) problems.push({ field: `teaser_${lang}`, code: 'required' });
		translations[lang] = { title, teaser, body };
	}
	if (!written) problems.push({ field: 'translations', code: 'translationMissing' });
	if (problems.length || !base) throw new ValidationError(problems, 'content');
	return { ...base, translations, ...(options.version ? { version: version! } : {}) };
}

/** Whether the form's address was left blank, to be made from the title. */
export function slugLeftBlank(form: FormData | Record<string, unknown>): boolean {
	const slug = form instanceof FormData ? form.get('slug') : form.slug;
	return slug === null || slug === undefined || (typeof slug === 'string' && !slug.trim());
}

/** The address a title gives: the first language with a title (nothing without one). */
function slugFromTitle(raw: Record<string, unknown>): string {
	const title = locales.map((l) => raw[`title_${l}`]).find((t) => typeof t === 'string' && t.trim());
	return slugify(String(title ?? ''), 110);
}

/** The editor's fields as the form shows them: texts, and lists of texts for the pickers. */
export type ArticleFormValues = Record<string, string | string[]>;

/** The form filled with a saved article's content (and the version it was opened at). */
export function formValuesOf(a: ArticleContent & { version: string }): ArticleFormValues {
	const values: ArticleFormValues = {
		slug: a.slug,
		kind: a.kind,
		themes: a.themes,
		goals: a.goals.map(String),
		targets: a.targets,
		countries: a.countries,
		organizationIds: a.organizationIds.map(String),
		partnershipId: a.partnershipId === null ? '' : String(a.partnershipId),
		leadImageId: a.leadImageId ? String(a.leadImageId) : '',
		version: a.version
	};
	for (const lang of locales) {
		const t = a.translations[lang];
		if (!t) continue;
		values[`title_${lang}`] = t.title;
		values[`teaser_${lang}`] = t.teaser;
		values[`body_${lang}`] = t.body;
	}
	return values;
}

// ---------------------------------------------------------------------------------------------
// The article list, revisions and workflow

/** The workspace's article list: by status, language, kind, theme and author, with search. */
export const workspaceQuery = {
	status: z.enum(articleStatuses, 'invalidArticle').optional(),
	/** Articles that have a language … */
	lang: fields.lang.optional(),
	/** … or lack one. */
	missing: fields.lang.optional(),
	kind: kind.optional(),
	theme: fields.theme.optional(),
	author: z
		.string('invalidAccount')
		.regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalidAccount')
		.optional(),
	q: fields.query.transform((q) => q || undefined).optional(),
	page: fields.page.default(1)
};

export type WorkspaceFilter = Input<typeof workspaceQuery>;

/** Two revisions to compare: both or neither. */
export const compareQuery = {
	from: fields.id.optional(),
	to: fields.id.optional()
};

/** The revisions a compare asks for, or null when it names none. */
export function readCompare(params: URLSearchParams): { from: number; to: number } | null {
	const { from, to } = readQuery(params, compareQuery, 'content');
	if (from === undefined && to === undefined) return null;
	if (from === undefined || to === undefined) {
		throw new ValidationError([{ field: from === undefined ? 'from' : 'to', code: 'required' }], 'content');
	}
	return { from, to };
}

/** Restoring a revision. */
export const restoreForm = { revision: fields.id };

/** A step of the workflow; a time for `schedule` ("2026-12-24T09:00", Swedish time). */
export const stepForm = {
	step: z.enum(workflowStepNames, 'invalidTransition'),
	scheduledAt: line(40).optional()
};
