import { and, count, eq, inArray, isNull, notLike, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { readDataFile } from '../kernel/data-files.ts';
import { organization } from '../organizations/schema.ts';
import { partnership } from '../partnerships/schema.ts';
import { saveArticles, type ArticleInput } from './import.ts';
import { article, articleTranslation } from './schema.ts';

interface ArticleFile extends Omit<ArticleInput, 'organizationIds' | 'partnershipId' | 'status'> {
	/** Organizations and the partnership by their addresses (slugs). */
	organizations: string[];
	partnership: string | null;
}

/**
 * The eight demo articles of data/demo/articles.json (written for this project), published, only
 * into a bank without any article. Organizations and partnerships they name are linked where
 * they exist (their demos run first).
 */
export async function addDemoArticles(db: Database): Promise<boolean> {
	const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(article);
	if (n > 0) return false;
	const articles = readDataFile<ArticleFile[]>('demo', 'articles.json');
	const orgSlugs = [...new Set(articles.flatMap((a) => a.organizations))];
	const partnershipSlugs = [...new Set(articles.flatMap((a) => (a.partnership ? [a.partnership] : [])))];
	const [orgs, partnerships] = await Promise.all([
		orgSlugs.length
			? db
					.select({ id: organization.id, slug: organization.slug })
					.from(organization)
					.where(inArray(organization.slug, orgSlugs))
			: [],
		partnershipSlugs.length
			? db
					.select({ id: partnership.id, slug: partnership.slug })
					.from(partnership)
					.where(inArray(partnership.slug, partnershipSlugs))
			: []
	]);
	const orgId = new Map(orgs.map((o) => [o.slug, o.id]));
	const partnershipId = new Map(partnerships.map((p) => [p.slug, p.id]));
	await saveArticles(
		db,
		articles.map(({ organizations, partnership, ...a }) => ({
			...a,
			status: 'published' as const,
			organizationIds: organizations.flatMap((slug) => orgId.get(slug) ?? []),
			partnershipId: (partnership && partnershipId.get(partnership)) || null
		}))
	);
	return true;
}

/** The demo article that a generated summary of the demo's results is attached to. */
export const demoReportArticle = 'iqa-2016-partnerskap-pa-vag-mot-mer-lokal-demokrati';

/**
 * Adds a paragraph (sanitised HTML, one per language) to the end of a demo article's text in
 * each language whose text links no library file yet. Returns whether any text changed.
 */
export async function appendToDemoArticle(
	tx: Database | Transaction,
	slug: string,
	paragraphs: Record<string, string>
): Promise<boolean> {
	let changed = false;
	for (const [lang, html] of Object.entries(paragraphs)) {
		const rows = await tx
			.update(articleTranslation)
			.set({ body: sql`${articleTranslation.body} || ${html}` })
			.where(
				and(
					eq(articleTranslation.lang, lang),
					notLike(articleTranslation.body, '%href="/media/%'),
					inArray(
						articleTranslation.articleId,
						tx.select({ id: article.id }).from(article).where(eq(article.slug, slug))
					)
				)
			)
			.returning({ id: articleTranslation.articleId });
		changed ||= rows.length > 0;
	}
	return changed;
}

/** The demo articles among these addresses that have no lead image yet. */
export async function demoArticlesWithoutImage(db: Database, slugs: string[]): Promise<string[]> {
	if (!slugs.length) return [];
	const rows = await db
		.select({ slug: article.slug })
		.from(article)
		.where(and(inArray(article.slug, slugs), isNull(article.leadImageId)));
	return rows.map((r) => r.slug);
}

/** Gives a demo article its lead image, unless it has one by now. */
export async function setDemoArticleImage(tx: Transaction, slug: string, mediaId: number): Promise<boolean> {
	const rows = await tx
		.update(article)
		.set({ leadImageId: mediaId })
		.where(and(eq(article.slug, slug), isNull(article.leadImageId)))
		.returning({ id: article.id });
	return rows.length > 0;
}
