import { and, eq, inArray } from 'drizzle-orm';
import sanitizeHtml from 'sanitize-html';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { media } from '../../media/schema.ts';
import { imageSrc, imageSrcset, pickWidth } from '#lib/media-urls.ts';
import type { Locale } from '#lib/i18n/locales.ts';

const keyIn = /^\/media\/([a-f0-9]{32})\//;

/**
 * Ties the images and attachments of an article's text to the media library when it is saved:
 * each image gets its responsive sizes and the library's alt text in that language. An image
 * without alt text in the language, or a file that is not in the library, stops the save with a
 * message on that language's text.
 */
export async function embedMedia(
	db: Database | Transaction,
	bodies: Partial<Record<Locale, string>>
): Promise<Partial<Record<Locale, string>>> {
	const keys = new Set<string>();
	for (const html of Object.values(bodies)) {
		for (const m of html!.matchAll(/\/media\/([a-f0-9]{32})\//g)) keys.add(m[1]!);
	}
	if (!keys.size && !Object.values(bodies).some((html) => /<img/i.test(html!))) return bodies;
	const library = await libraryFiles(db, [...keys]);
	const problems: FieldProblem<'content'>[] = [];
	const out: Partial<Record<Locale, string>> = {};
	for (const [lang, html] of Object.entries(bodies) as [Locale, string][]) {
		const field = `body_${lang}`;
		const problem = (code: FieldProblem<'content'>['code']) => {
			if (!problems.some((p) => p.field === field)) problems.push({ field, code });
		};
		out[lang] = sanitizeHtml(html, {
			// Only rewrites images and links here; the allowlist runs when the text is stored.
			allowedTags: false,
			allowedAttributes: false,
			allowVulnerableTags: true,
			transformTags: {
				img: (tagName, attribs) => {
					const item = library.get(keyIn.exec(attribs.src ?? '')?.[1] ?? '');
					if (!item || item.kind !== 'image') return (problem('unknownMedia'), { tagName, attribs });
					const alt = item.alt[lang]?.trim();
					if (!alt) return (problem('imageAltMissing'), { tagName, attribs });
					const key = keyIn.exec(attribs.src!)![1]!;
					return {
						tagName,
						attribs: {
							src: imageSrc(key, pickWidth(item.variants, 960)!),
							srcset: imageSrcset(key, item.variants),
							alt,
							...(item.width && item.height ? { width: String(item.width), height: String(item.height) } : {})
						}
					};
				},
				a: (tagName, attribs) => {
					const key = keyIn.exec(attribs.href ?? '')?.[1];
					if (key && !library.has(key)) problem('unknownMedia');
					return { tagName, attribs };
				}
			}
		});
	}
	if (problems.length) throw new ValidationError(problems, 'content');
	return out;
}

/** The library's files with these storage keys, by key. */
async function libraryFiles(db: Database | Transaction, keys: string[]) {
	const found = keys.length
		? await db
				.select({
					storageKey: media.storageKey,
					kind: media.kind,
					alt: media.alt,
					variants: media.variants,
					width: media.width,
					height: media.height
				})
				.from(media)
				// Only the library's own files: not a proposal's photo or a report's attachment.
				.where(and(inArray(media.storageKey, keys), eq(media.origin, 'library')))
		: [];
	return new Map(found.map(({ storageKey, ...file }) => [storageKey, file]));
}
