import { randomBytes } from 'node:crypto';
import { count, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { ValidationError } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { logger } from '../kernel/logger.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { user } from '../accounts/schema.ts';
import { isDocumentFileName, isStorageKey, variantFilePattern } from '#lib/media-urls.ts';
import { processUpload, safeFileName } from './process.ts';
import { media, type MediaKind } from './schema.ts';
import { objectKey, type MediaStore } from './store.ts';
import { altTextSchema, mediaIdSchema, parseOrThrow, uploadSchema } from './validation.ts';
import { mediaPolicy } from './policy.ts';

/** A file in the library as pages show it. */
export interface MediaItem {
	id: number;
	kind: MediaKind;
	storageKey: string;
	/** The type found in the upload's bytes. */
	mime: string;
	/** Size of the upload. */
	bytes: number;
	width: number | null;
	height: number | null;
	variants: number[];
	fileName: string;
	alt: LocalizedText;
	createdAt: string;
	/** Who uploaded it; null once that account is gone. */
	createdByName: string | null;
}

/** What the article editor needs to put an image or a document into a text. */
export interface MediaReference {
	kind: MediaKind;
	alt: LocalizedText;
	variants: number[];
	width: number | null;
	height: number | null;
	fileName: string;
}

export interface UploadInput {
	/** The file's bytes; null or empty when no file was chosen. */
	bytes: Uint8Array | null;
	/** What the uploader's computer called it (only a cleaned-up copy is kept). */
	fileName: string;
	/** Alt text per language; an image needs at least one. */
	alt: Partial<Record<string, string>>;
}

/** The object in the store that holds a document (its download name lives in the database). */
const documentObject = 'document.pdf';
const variantObject = (width: number) => `${width}.webp`;

function objectKeysOf(row: { kind: MediaKind; storageKey: string; variants: number[] }): string[] {
	return row.kind === 'document'
		? [objectKey(row.storageKey, documentObject)]
		: row.variants.map((w) => objectKey(row.storageKey, variantObject(w)));
}

const unknownMedia = () => new ValidationError([{ field: 'file', code: 'unknownMedia' }], 'media');

/** A storage key: 16 random bytes as 32 lowercase hex characters. Never derived from the upload. */
export function newStorageKey(): string {
	return randomBytes(16).toString('hex');
}

/**
 * Adds a file to the library. Permission first, then the file is checked by its bytes and made
 * safe (see process.ts), its files are written to the store under a key the server makes, and
 * the row and its audit entry are written in one transaction. If that fails the stored files
 * are removed again.
 */
export async function uploadMedia(
	db: Database,
	store: MediaStore,
	actor: Actor,
	input: UploadInput
): Promise<MediaItem> {
	authorize(actor, mediaPolicy.upload);
	return addToLibrary(db, store, actor.id, input);
}

/**
 * The upload itself, for a caller that has been allowed (or the demo seed, with no actor): the
 * same checks of the bytes, the same store and the same audit row.
 */
export async function addToLibrary(
	db: Database,
	store: MediaStore,
	actorId: string | null,
	input: UploadInput
): Promise<MediaItem> {
	const { fileName, alt } = parseOrThrow(uploadSchema, input, { fileName: 'fileMissing', alt: 'tooLong' });
	if (!input.bytes?.byteLength) throw new ValidationError([{ field: 'file', code: 'fileMissing' }], 'media');
	const processed = await processUpload(input.bytes);
	if (processed.kind === 'image' && Object.keys(alt).length === 0) {
		throw new ValidationError([{ field: 'alt', code: 'altRequired' }], 'media');
	}

	const storageKey = newStorageKey();
	const written: string[] = [];
	try {
		if (processed.kind === 'image') {
			for (const variant of processed.variants) {
				const key = objectKey(storageKey, variantObject(variant.width));
				await store.put(key, variant.bytes, 'image/webp');
				written.push(key);
			}
		} else {
			const key = objectKey(storageKey, documentObject);
			await store.put(key, processed.bytes, 'application/pdf');
			written.push(key);
		}
		const values = {
			kind: processed.kind,
			storageKey,
			mime: processed.mime,
			bytes: input.bytes.byteLength,
			width: processed.kind === 'image' ? processed.width : null,
			height: processed.kind === 'image' ? processed.height : null,
			variants: processed.kind === 'image' ? processed.variants.map((v) => v.width) : [],
			fileName: safeFileName(fileName, processed.mime),
			// A document is linked with words of its own; alt text is for images.
			alt: processed.kind === 'image' ? alt : {},
			createdBy: actorId
		};
		const row = await db.transaction(async (tx) => {
			const [inserted] = await tx.insert(media).values(values).returning();
			await audit(tx, {
				actorId,
				action: 'media.upload',
				subject: `media:${inserted!.id}`,
				after: {
					kind: values.kind,
					fileName: values.fileName,
					mime: values.mime,
					bytes: values.bytes,
					storageKey,
					alt: values.alt
				}
			});
			return inserted!;
		});
		const [named] = actorId
			? await db.select({ name: user.name }).from(user).where(eq(user.id, actorId))
			: [];
		return toItem({ ...row, createdByName: named?.name ?? null });
	} catch (error) {
		await Promise.all(written.map((key) => store.delete(key).catch(() => {})));
		throw error;
	}
}

/**
 * Sets an image's alt text in every language at once (an empty one removes it). An image keeps
 * at least one; it is usable in an article only in the languages it has alt text in.
 */
export async function setAltText(
	db: Database,
	actor: Actor,
	input: { id: number | string; alt: Partial<Record<string, string>> }
): Promise<MediaItem> {
	authorize(actor, mediaPolicy.upload);
	const { id, alt } = parseOrThrow(altTextSchema, input, { id: 'unknownMedia', alt: 'tooLong' });
	await db.transaction(async (tx) => {
		const [current] = await tx.select().from(media).where(eq(media.id, id)).for('update');
		if (!current || current.kind !== 'image') throw unknownMedia();
		if (Object.keys(alt).length === 0) throw new ValidationError([{ field: 'alt', code: 'altRequired' }], 'media');
		if (JSON.stringify(sorted(current.alt)) === JSON.stringify(sorted(alt))) return;
		await tx.update(media).set({ alt }).where(eq(media.id, id));
		await audit(tx, {
			actorId: actor.id,
			action: 'media.alt',
			subject: `media:${id}`,
			before: { alt: current.alt },
			after: { alt }
		});
	});
	return (await itemsWhere(db, eq(media.id, id)))[0]!;
}

function sorted(text: LocalizedText): LocalizedText {
	return Object.fromEntries(Object.entries(text).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Removes a file from the library (editors and admins): the row and its audit entry in one
 * transaction, then its files in the store. Pages that showed it are rendered anew.
 */
export async function deleteMedia(
	db: Database,
	store: MediaStore,
	actor: Actor,
	id: number | string
): Promise<{ fileName: string }> {
	authorize(actor, mediaPolicy.delete);
	const parsedId = mediaIdSchema.safeParse(id);
	if (!parsedId.success) throw unknownMedia();
	const mediaId = parsedId.data;
	const removed = await db.transaction(async (tx) => {
		const [row] = await tx.delete(media).where(eq(media.id, mediaId)).returning();
		if (!row) throw unknownMedia();
		await audit(tx, {
			actorId: actor.id,
			action: 'media.delete',
			subject: `media:${row.id}`,
			before: {
				kind: row.kind,
				fileName: row.fileName,
				mime: row.mime,
				bytes: row.bytes,
				storageKey: row.storageKey,
				alt: row.alt
			}
		});
		// Published pages with this file must not be served from a cache that still shows it.
		await bumpRevision(tx);
		return row;
	});
	contentChanged();
	for (const key of objectKeysOf(removed)) {
		await store.delete(key).catch((error) => {
			// The row is gone, so nothing links here any more; an operator can sweep the leftover.
			logger.warn({ err: error, key }, 'Could not remove a media file from the store');
		});
	}
	return { fileName: removed.fileName };
}

export const mediaPerPage = 20;

/** The library, newest first, 20 a page, optionally only images or only documents. */
export async function listMedia(
	db: Database,
	actor: Actor,
	query: { page?: number; kind?: MediaKind } = {}
): Promise<{ items: MediaItem[]; page: number; pages: number; total: number }> {
	authorize(actor, mediaPolicy.upload);
	const page = query.page ?? 1;
	const where = query.kind ? eq(media.kind, query.kind) : undefined;
	const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(media).where(where);
	const items = await itemsWhere(db, where, { limit: mediaPerPage, offset: (page - 1) * mediaPerPage });
	return { items, page, pages: Math.max(1, Math.ceil(total / mediaPerPage)), total };
}

async function itemsWhere(
	db: Database,
	where: ReturnType<typeof eq> | undefined,
	range?: { limit: number; offset: number }
): Promise<MediaItem[]> {
	const query = db
		.select({ media, createdByName: user.name })
		.from(media)
		.leftJoin(user, eq(user.id, media.createdBy))
		.where(where)
		.orderBy(desc(media.createdAt), desc(media.id));
	const rows = range ? await query.limit(range.limit).offset(range.offset) : await query;
	return rows.map((r) => toItem({ ...r.media, createdByName: r.createdByName }));
}

function toItem(row: typeof media.$inferSelect & { createdByName: string | null }): MediaItem {
	return {
		id: row.id,
		kind: row.kind,
		storageKey: row.storageKey,
		mime: row.mime,
		bytes: row.bytes,
		width: row.width,
		height: row.height,
		variants: row.variants,
		fileName: row.fileName,
		alt: row.alt,
		createdAt: row.createdAt.toISOString(),
		createdByName: row.createdByName
	};
}

/**
 * What the article editor needs about the files a text uses, by storage key (keys that are
 * not in the library, or not keys at all, are simply missing from the map). No permission
 * check here: the caller has already been allowed to save the article.
 */
export async function mediaByKeys(
	db: Database,
	keys: Iterable<string>
): Promise<Map<string, MediaReference>> {
	const wanted = [...new Set(keys)].filter(isStorageKey);
	const found = new Map<string, MediaReference>();
	if (!wanted.length) return found;
	const rows = await db
		.select({
			storageKey: media.storageKey,
			kind: media.kind,
			alt: media.alt,
			variants: media.variants,
			width: media.width,
			height: media.height,
			fileName: media.fileName
		})
		.from(media)
		.where(inArray(media.storageKey, wanted));
	for (const { storageKey, ...reference } of rows) found.set(storageKey, reference);
	return found;
}

/** A file the public media address may serve. */
export interface ServedFile {
	/** The object in the store. */
	objectKey: string;
	contentType: 'image/webp' | 'application/pdf';
	/** For documents: the download name. */
	downloadName: string | null;
	/** A strong validator: what is under a key never changes. */
	etag: string;
}

/**
 * Which stored file `/media/<key>/<file>` stands for: a variant width the image has
 * (`640.webp`) or the document's own download name (`rapport.pdf`). Null for anything else.
 */
export async function findServedFile(db: Database, key: string, file: string): Promise<ServedFile | null> {
	if (!isStorageKey(key)) return null;
	const variant = variantFilePattern.exec(file);
	if (!variant && !isDocumentFileName(file)) return null;
	const [row] = await db
		.select({ kind: media.kind, variants: media.variants, fileName: media.fileName })
		.from(media)
		.where(eq(media.storageKey, key));
	if (!row) return null;
	const etag = `"${key}-${file}"`;
	if (variant) {
		const width = Number(variant[1]);
		if (row.kind !== 'image' || !row.variants.includes(width)) return null;
		return {
			objectKey: objectKey(key, variantObject(width)),
			contentType: 'image/webp',
			downloadName: null,
			etag
		};
	}
	if (row.kind !== 'document' || row.fileName !== file) return null;
	return {
		objectKey: objectKey(key, documentObject),
		contentType: 'application/pdf',
		downloadName: row.fileName,
		etag
	};
}
