import { inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../kernel/database.ts';
import { runSystemChange } from '../kernel/write.ts';
import { ValidationError } from '../kernel/errors.ts';
import { fields } from '../kernel/input.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { checkTags, goalsWithTargets } from '../taxonomy/known.ts';
import {
	article,
	articleCountry,
	articleGoal,
	articleOrganization,
	articleTarget,
	articleTheme,
	articleTranslation,
	articleKinds,
	articleStatuses
} from './schema.ts';
import { locales } from '#lib/i18n/locales.ts';

/**
 * The bulk path: articles written whole, by the platform (the demo, the synthetic corpus of
 * `npm run corpus`, imports), many in one transaction with a fixed number of statements.
 */

const localizedArticleText = z.object({
	title: z.string().trim().min(1).max(200),
	teaser: z.string().trim().min(1).max(400),
	body: z.string().max(200_000)
});

/** An article as a whole, as the demo and the corpus generator give it. */
export const importedArticle = z.object({
	slug: fields.slug,
	kind: z.enum(articleKinds),
	status: z.enum(articleStatuses),
	/** A date ("2018-03-14"), a time with its offset, or a Date. */
	publishedAt: z
		.union([z.date(), z.iso.date(), z.iso.datetime({ offset: true })])
		.transform((v) => new Date(v))
		.nullable(),
	themes: z.array(fields.theme).max(20),
	goals: z.array(z.number().int().min(1).max(17)).max(17),
	targets: z.array(fields.target).max(50),
	countries: z.array(fields.country).max(50),
	organizationIds: z.array(z.number().int().positive()).max(50),
	partnershipId: z.number().int().positive().nullable(),
	translations: z.partialRecord(z.enum(locales), localizedArticleText)
});

export type ArticleInput = z.input<typeof importedArticle>;

type ParsedArticle = z.output<typeof importedArticle>;

function parseArticle(input: ArticleInput): ParsedArticle {
	const parsed = importedArticle.safeParse(input);
	if (!parsed.success) {
		throw new ValidationError(
			parsed.error.issues.map((i) => ({ field: i.path.join('.'), code: 'invalidArticle' as const })),
			'content'
		);
	}
	return parsed.data;
}

/**
 * Creates or replaces an article (by slug) with its translations and tags, in one transaction.
 * A target implies its goal, so filtering by goal 16 finds an article tagged only with 16.7.
 */
export async function saveArticle(db: Database, input: ArticleInput): Promise<number> {
	const [id] = await saveArticles(db, [input]);
	return id!;
}

/**
 * Many articles in one transaction (imports, the synthetic corpus): all or none. The platform's
 * own loading, not a person's change: it leaves no audit row (the demo and the corpus would fill
 * the log), but raises the content revision like any public change.
 */
export async function saveArticles(db: Database, inputs: ArticleInput[]): Promise<number[]> {
	const parsed = inputs.map(parseArticle);
	return runSystemChange(db, async (tx) => ({
		result: await writeArticles(tx, parsed),
		audit: [],
		public: parsed.length > 0
	}));
}

/** Writes articles with a fixed number of statements, however many there are (by slug). */
async function writeArticles(tx: Transaction, articles: ParsedArticle[]): Promise<number[]> {
	if (!articles.length) return [];
	const known = await targetGoals(tx, articles);
	const now = new Date();
	const rows = await tx
		.insert(article)
		.values(
			articles.map((a) => ({
				slug: a.slug,
				kind: a.kind,
				status: a.status,
				publishedAt: a.publishedAt,
				partnershipId: a.partnershipId,
				updatedAt: now
			}))
		)
		.onConflictDoUpdate({
			target: article.slug,
			set: {
				kind: sql`excluded.kind`,
				status: sql`excluded.status`,
				publishedAt: sql`excluded.published_at`,
				partnershipId: sql`excluded.partnership_id`,
				updatedAt: sql`excluded.updated_at`
			}
		})
		.returning({ id: article.id, slug: article.slug });
	const idBySlug = new Map(rows.map((r) => [r.slug, r.id]));
	const ids = articles.map((a) => idBySlug.get(a.slug)!);
	await replaceArticleContent(tx, ids, articles, known);
	return ids;
}

/** The goal of every target the articles name; an unknown theme or target is a validation error. */
async function targetGoals(tx: Transaction, articles: ParsedArticle[]): Promise<Map<string, number>> {
	const { problems, goalOf } = await checkTags(tx, {
		themes: articles.flatMap((a) => a.themes),
		targets: articles.flatMap((a) => a.targets)
	});
	if (problems.length) throw new ValidationError(problems, 'content');
	return goalOf;
}

type ArticleContent = Omit<ParsedArticle, 'slug' | 'kind' | 'status' | 'publishedAt' | 'partnershipId'>;

/**
 * Replaces the translations and tags of saved articles. A translation whose text is unchanged
 * keeps its `updatedAt`, so the workspace can tell which language was edited after the other.
 */
export async function replaceArticleContent(
	tx: Transaction,
	ids: number[],
	articles: ArticleContent[],
	known: Map<string, number>
): Promise<void> {
	const before = new Map(
		(
			await tx
				.select({
					articleId: articleTranslation.articleId,
					lang: articleTranslation.lang,
					title: articleTranslation.title,
					teaser: articleTranslation.teaser,
					body: articleTranslation.body,
					updatedAt: articleTranslation.updatedAt
				})
				.from(articleTranslation)
				.where(inArray(articleTranslation.articleId, ids))
		).map((t) => [`${t.articleId}:${t.lang}`, t])
	);
	const now = new Date();
	for (const table of [
		articleTranslation,
		articleTheme,
		articleGoal,
		articleTarget,
		articleCountry,
		articleOrganization
	]) {
		await tx.delete(table).where(inArray(table.articleId, ids));
	}
	const each = <T>(make: (a: ArticleContent, articleId: number) => T[]) =>
		articles.flatMap((a, i) => make(a, ids[i]!));
	const translations = each((a, articleId) =>
		Object.entries(a.translations).map(([lang, t]) => {
			const body = sanitizeRichText(t!.body);
			const old = before.get(`${articleId}:${lang}`);
			const same = old && old.title === t!.title && old.teaser === t!.teaser && old.body === body;
			return {
				articleId,
				lang,
				title: t!.title,
				teaser: t!.teaser,
				body,
				updatedAt: same ? old.updatedAt : now
			};
		})
	);
	const themes = each((a, articleId) =>
		[...new Set(a.themes)].map((themeKey, position) => ({ articleId, themeKey, position }))
	);
	// A target implies its goal.
	const goals = each((a, articleId) =>
		goalsWithTargets(a.goals, a.targets, known).map((goal) => ({ articleId, goal }))
	);
	const targets = each((a, articleId) => [...new Set(a.targets)].map((target) => ({ articleId, target })));
	const countries = each((a, articleId) =>
		[...new Set(a.countries)].map((country) => ({ articleId, country }))
	);
	const organizations = each((a, articleId) =>
		[...new Set(a.organizationIds)].map((organizationId) => ({ articleId, organizationId }))
	);
	// Postgres takes at most 65,535 parameters a statement: insert in slices.
	const insert = async <T extends Record<string, unknown>>(
		table: Parameters<Transaction['insert']>[0],
		values: T[]
	) => {
		const per = Math.floor(30_000 / Math.max(1, Object.keys(values[0] ?? {}).length));
		for (let i = 0; i < values.length; i += per)
			await tx.insert(table).values(values.slice(i, i + per) as never);
	};
	await insert(articleTranslation, translations);
	await insert(articleTheme, themes);
	await insert(articleGoal, goals);
	await insert(articleTarget, targets);
	await insert(articleCountry, countries);
	await insert(articleOrganization, organizations);
}
