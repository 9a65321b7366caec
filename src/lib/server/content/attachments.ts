import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { media } from '../media/schema.ts';
import { formatFileSize } from '#lib/i18n/index.ts';
import { isLocale } from '#lib/i18n/locales.ts';

/** A link in an article's text to a file in the library, as the editor stores it. */
const libraryLink = /<a\b[^>]*\bhref="\/media\/([a-f0-9]{32})\/[^"]*"[^>]*>[\s\S]*?<\/a>/g;

/**
 * Each library document linked in an article's text gets its type and size after the link
 * ("(PDF, 640 kB)"), in the page's language: a reader on a slow connection knows what a click
 * costs. Worked out when the page is rendered, so nothing of it is stored in the text.
 */
export async function describeAttachments(db: Database, html: string, locale: string): Promise<string> {
	const keys = [...new Set([...html.matchAll(libraryLink)].map((m) => m[1]!))];
	if (!keys.length || !isLocale(locale)) return html;
	const rows = await db
		.select({ key: media.storageKey, bytes: media.bytes })
		.from(media)
		.where(and(inArray(media.storageKey, keys), eq(media.kind, 'document'), eq(media.origin, 'library')));
	const sizes = new Map(rows.map((r) => [r.key, r.bytes]));
	return html.replace(libraryLink, (link, key: string) => {
		const bytes = sizes.get(key);
		return bytes === undefined
			? link
			: `${link} <span class="file-meta">(PDF, ${formatFileSize(locale, bytes)})</span>`;
	});
}
