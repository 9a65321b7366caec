import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { user } from '../accounts/schema.ts';
import { isStorageKey } from '#lib/media-urls.ts';
import { media, type MediaKind, type MediaOrigin } from './schema.ts';
import { documentObjectKey, variantObjectKey } from './store.ts';
import { mediaPolicy } from './policy.ts';
import { servedFileParams } from './input.ts';

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

/** Files a page of the library shows. */
export const mediaPerPage = 20;

/** The library, newest first, 20 a page, optionally only images or only documents. */
export async function listMedia(
	db: Database,
	actor: Actor,
	query: { page?: number; kind?: MediaKind } = {}
): Promise<{ items: MediaItem[]; page: number; pages: number; total: number }> {
	authorize(actor, mediaPolicy.upload);
	const page = query.page ?? 1;
	// Participants' proposal photos are not the staff's to reuse.
	const where = and(eq(media.origin, 'library'), query.kind ? eq(media.kind, query.kind) : undefined);
	const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(media).where(where);
	const items = await itemsWhere(db, where, { limit: mediaPerPage, offset: (page - 1) * mediaPerPage });
	return { items, page, pages: Math.max(1, Math.ceil(total / mediaPerPage)), total };
}

/** One file of the library, or undefined. No permission check: for commands that have asked. */
export async function mediaItem(db: Database | Transaction, id: number): Promise<MediaItem | undefined> {
	return (await itemsWhere(db, eq(media.id, id)))[0];
}

async function itemsWhere(
	db: Database | Transaction,
	where: SQL | undefined,
	range?: { limit: number; offset: number }
): Promise<MediaItem[]> {
	const query = db
		.select({ media, createdByName: user.name })
		.from(media)
		.leftJoin(user, eq(user.id, media.createdBy))
		.where(where)
		.orderBy(desc(media.createdAt), desc(media.id));
	const rows = range ? await query.limit(range.limit).offset(range.offset) : await query;
	return rows.map((r) => toItem(r.media, r.createdByName));
}

/** A row of the library as pages show it. */
function toItem(row: typeof media.$inferSelect, createdByName: string | null): MediaItem {
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
		createdByName
	};
}

/**
 * What the article editor needs about the files a text uses, by storage key (keys that are
 * not in the library, or not keys at all, are simply missing from the map). No permission
 * check here: the caller has already been allowed to save the article.
 */
export async function mediaByKeys(
	db: Database | Transaction,
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
		.where(and(inArray(media.storageKey, wanted), eq(media.origin, 'library')));
	for (const { storageKey, ...reference } of rows) found.set(storageKey, reference);
	return found;
}

/** A file the public media address may serve. */
export interface ServedFile {
	/** The library item (another module may decide who sees it: a proposal's photo). */
	mediaId: number;
	origin: MediaOrigin;
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
	const address = servedFileParams.safeParse({ key, file });
	if (!address.success) return null;
	const { width, document } = address.data.file;
	const [row] = await db
		.select({
			id: media.id,
			kind: media.kind,
			variants: media.variants,
			fileName: media.fileName,
			origin: media.origin
		})
		.from(media)
		.where(eq(media.storageKey, key));
	if (!row) return null;
	const etag = `"${key}-${file}"`;
	if (width !== null) {
		if (row.kind !== 'image' || !row.variants.includes(width)) return null;
		return {
			mediaId: row.id,
			origin: row.origin,
			objectKey: variantObjectKey(key, width),
			contentType: 'image/webp',
			downloadName: null,
			etag
		};
	}
	if (row.kind !== 'document' || row.fileName !== document) return null;
	return {
		mediaId: row.id,
		origin: row.origin,
		objectKey: documentObjectKey(key),
		contentType: 'application/pdf',
		downloadName: row.fileName,
		etag
	};
}
