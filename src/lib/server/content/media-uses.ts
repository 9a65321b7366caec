import { and, eq, inArray, like, or, sql } from 'drizzle-orm';
import sanitizeHtml from 'sanitize-html';
import type { Database, Transaction } from '../kernel/database.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import type { LibraryFile, MediaUse } from '../kernel/module.ts';
import { article, articleTranslation } from './schema.ts';

/**
 * The articles that show library files: as their lead image, or linked in a text of any language
 * (a document or a picture). Titles in the reader's language where the article has it.
 */
export async function articleMediaUses(
	db: Database | Transaction,
	files: readonly LibraryFile[],
	locale: string
): Promise<MediaUse[]> {
	if (!files.length) return [];
	// A storage key is 32 hex digits: nothing in it means anything to LIKE.
	const linkTo = (f: LibraryFile) => `%/media/${f.storageKey}/%`;
	const [leads, links] = await Promise.all([
		db
			.select({ articleId: article.id, mediaId: article.leadImageId })
			.from(article)
			.where(
				inArray(
					article.leadImageId,
					files.map((f) => f.id)
				)
			),
		db
			.selectDistinct({
				articleId: articleTranslation.articleId,
				// Which of the files this text links to (several, perhaps).
				mediaIds: sql<number[]>`array_remove(array[${sql.join(
					files.map((f) => sql`case when ${articleTranslation.body} like ${linkTo(f)} then ${f.id}::int end`),
					sql`, `
				)}], null)`
			})
			.from(articleTranslation)
			.where(or(...files.map((f) => like(articleTranslation.body, linkTo(f)))))
	]);
	const ids = [...new Set([...leads.map((l) => l.articleId), ...links.map((l) => l.articleId)])];
	if (!ids.length) return [];
	const titles = new Map<number, string>();
	const rows = await db
		.select({
			articleId: articleTranslation.articleId,
			lang: articleTranslation.lang,
			title: articleTranslation.title
		})
		.from(articleTranslation)
		.where(inArray(articleTranslation.articleId, ids));
	for (const r of rows) if (!titles.has(r.articleId) || r.lang === locale) titles.set(r.articleId, r.title);
	const use = (articleId: number, mediaId: number, kind: MediaUse['use']): MediaUse => ({
		mediaId,
		use: kind,
		title: titles.get(articleId) ?? '',
		href: `/admin/articles/${articleId}`
	});
	const seen = new Set<string>();
	return [
		...leads.map((l) => use(l.articleId, l.mediaId!, 'articleLead')),
		...links.flatMap((l) => l.mediaIds.map((m) => use(l.articleId, Number(m), 'articleLink')))
	].filter((u) => {
		// One article with the link in both languages is one use.
		const key = `${u.use}:${u.mediaId}:${u.href}`;
		return !seen.has(key) && !!seen.add(key);
	});
}

/**
 * A library file is deleted: in every article text, a link to it becomes its words and an image
 * of it goes. (Its lead images go with the row, through the foreign key.)
 */
export async function unlinkArticleMedia(tx: Transaction, file: LibraryFile): Promise<void> {
	const texts = await tx
		.select({
			articleId: articleTranslation.articleId,
			lang: articleTranslation.lang,
			body: articleTranslation.body
		})
		.from(articleTranslation)
		.where(like(articleTranslation.body, `%/media/${file.storageKey}/%`));
	for (const t of texts) {
		await tx
			.update(articleTranslation)
			.set({ body: withoutFile(t.body, file.storageKey), updatedAt: new Date() })
			.where(and(eq(articleTranslation.articleId, t.articleId), eq(articleTranslation.lang, t.lang)));
	}
}

/** Stored rich text without the links to and images of one file (and still as the allowlist keeps it). */
export function withoutFile(html: string, storageKey: string): string {
	const of = (url: string | undefined) => (url ?? '').includes(`/media/${storageKey}/`);
	const marked = sanitizeHtml(html, {
		allowedTags: false,
		allowedAttributes: false,
		allowVulnerableTags: true,
		// A link to the file is renamed to a tag the allowlist does not know: it then drops the tag
		// and keeps its words.
		transformTags: {
			a: (tagName, attribs) => ({ tagName: of(attribs.href) ? 'unlinked' : tagName, attribs })
		},
		exclusiveFilter: (frame) => frame.tag === 'img' && of(frame.attribs.src)
	});
	// A paragraph that held only the image goes with it.
	return sanitizeRichText(marked).replace(/<p>\s*<\/p>/g, '');
}
