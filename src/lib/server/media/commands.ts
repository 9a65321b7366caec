import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import type { Change } from '../kernel/write.ts';
import { runCommand, runSystemChange } from '../kernel/write.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import type { LibraryFile } from '../kernel/module.ts';
import { logger } from '../kernel/logger.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { processUpload, safeFileName } from './process.ts';
import { media, type MediaOrigin } from './schema.ts';
import {
	documentObjectKey,
	newStorageKey,
	objectKeysOf,
	variantObjectKey,
	type MediaStore
} from './store.ts';
import { mediaPolicy } from './policy.ts';
import { altForm, altOf, deleteForm, libraryFile, uploadForm } from './input.ts';
import { mediaItem, type MediaItem } from './queries.ts';

/** A form as sent (FormData) or the values the kernel's `formValues` took from one. */
type Raw = FormData | Record<string, unknown>;

/** A file another module adds to the library (see `addToLibrary`). */
export interface UploadInput {
	/** The file's bytes (a form's File is read only when the decoder's turn comes); null or empty when none. */
	bytes: Uint8Array | Blob | null;
	/** What the uploader's computer called it (only a cleaned-up copy is kept). */
	fileName: string;
	/** Alt text per language; an image needs at least one. */
	alt: Partial<Record<string, string>>;
	/** A proposal's photo is kept out of the staff's library (default: the library). */
	origin?: MediaOrigin;
}

const unknownMedia = () => new ValidationError([{ field: 'file', code: 'unknownMedia' }], 'media');

/**
 * An upload checked by its bytes, with its files in the store, waiting for its row
 * (`recordUpload`); `discardUpload` removes the files if the row is never saved.
 */
export interface PreparedUpload {
	readonly values: Omit<typeof media.$inferInsert, 'createdBy'>;
	readonly written: readonly string[];
}

/**
 * Checks the bytes and makes what is stored from them (process.ts), then writes the files under
 * a key the server makes. Done before the transaction: decoding images and talking to a bucket
 * take a while, and no row may wait on them. If a write fails, what was written is removed.
 */
async function storeUpload(
	store: MediaStore,
	bytes: Uint8Array | Blob | null,
	fileName: string,
	alt: LocalizedText
): Promise<PreparedUpload> {
	const size = bytes instanceof Blob ? bytes.size : (bytes?.byteLength ?? 0);
	if (!bytes || !size) throw new ValidationError([{ field: 'file', code: 'fileMissing' }], 'media');
	const processed = await processUpload(bytes);
	if (processed.kind === 'image' && Object.keys(alt).length === 0) {
		throw new ValidationError([{ field: 'alt', code: 'altRequired' }], 'media');
	}
	const storageKey = newStorageKey();
	const written: string[] = [];
	try {
		if (processed.kind === 'image') {
			for (const variant of processed.variants) {
				const key = variantObjectKey(storageKey, variant.width);
				await store.put(key, variant.bytes, 'image/webp');
				written.push(key);
			}
		} else {
			const key = documentObjectKey(storageKey);
			await store.put(key, processed.bytes, 'application/pdf');
			written.push(key);
		}
	} catch (error) {
		await removeObjects(store, written);
		throw error;
	}
	return {
		written,
		values: {
			kind: processed.kind,
			storageKey,
			mime: processed.mime,
			bytes: size,
			width: processed.kind === 'image' ? processed.width : null,
			height: processed.kind === 'image' ? processed.height : null,
			variants: processed.kind === 'image' ? processed.variants.map((v) => v.width) : [],
			fileName: safeFileName(fileName, processed.mime),
			// A document is linked with words of its own; alt text is for images.
			alt: processed.kind === 'image' ? alt : {}
		}
	};
}

async function removeObjects(store: MediaStore, keys: readonly string[]): Promise<void> {
	await Promise.all(keys.map((key) => store.delete(key).catch(() => {})));
}

/**
 * Writes the row and its audit entry in one transaction (the caller's, when given one). If the
 * transaction fails here, the stored files are removed again.
 */
async function saveUpload(
	db: Database | Transaction,
	store: MediaStore,
	actor: Actor,
	rule: (typeof mediaPolicy)[keyof typeof mediaPolicy],
	upload: PreparedUpload
): Promise<MediaItem> {
	const work = async (tx: Transaction, createdBy: string | null): Promise<Change<MediaItem>> => {
		const [row] = await tx
			.insert(media)
			.values({ ...upload.values, createdBy })
			.returning({ id: media.id });
		const { kind, fileName, mime, bytes, storageKey, alt } = upload.values;
		return {
			result: (await mediaItem(tx, row!.id))!,
			audit: {
				action: 'media.upload',
				subject: `media:${row!.id}`,
				after: { kind, fileName, mime, bytes, storageKey, alt }
			},
			public: false
		};
	};
	try {
		if (!actor) return await runSystemChange(db, (tx) => work(tx, null));
		return await runCommand(db, actor, {
			rule,
			parse: () => upload,
			work: (tx, _upload, who) => work(tx, who.id)
		});
	} catch (error) {
		await removeObjects(store, upload.written);
		throw error;
	}
}

/**
 * Uploads a file to the library from the media page. Permission first, then the form (an
 * unreadable body, larger than the server takes, is `fileTooLarge`), then the file is checked by
 * its bytes and made safe (see process.ts), its files are written to the store under a key the
 * server makes, and the row and its audit entry are written in one transaction. If that fails
 * the stored files are removed again.
 */
export async function uploadMedia(
	db: Database,
	store: MediaStore,
	actor: Actor,
	raw: Raw | null
): Promise<MediaItem> {
	authorize(actor, mediaPolicy.upload);
	if (!raw) throw new ValidationError([{ field: 'file', code: 'fileTooLarge' }], 'media');
	const input = readForm(raw, uploadForm, 'media');
	// The File itself: its bytes are read when the decoder's turn comes (process.ts).
	const upload = await storeUpload(store, input.file, input.file.name, altOf(input));
	return saveUpload(db, store, actor, mediaPolicy.upload, upload);
}

/**
 * The first half of adding a file for another part of the platform (a participant's photo, a
 * coordinator's PDF): checks the bytes, makes what is stored and writes the files, outside any
 * transaction (a slow decode must not hold one). Then `recordUpload` in the caller's transaction,
 * or `discardUpload` if that never happens or fails.
 */
export async function prepareUpload(store: MediaStore, input: UploadInput): Promise<PreparedUpload> {
	const alt = Object.fromEntries(Object.entries(input.alt).map(([l, text]) => [`alt_${l}`, text]));
	const { fileName, ...altValues } = readForm({ fileName: input.fileName, ...alt }, libraryFile, 'media');
	const upload = await storeUpload(store, input.bytes, fileName, altOf(altValues));
	return { ...upload, values: { ...upload.values, origin: input.origin ?? 'library' } };
}

/**
 * The second half: the library row and its audit entry, for someone another module has let add
 * it (or for the platform itself, `actor` null), in the caller's transaction when given one. If
 * this step fails, the files are removed; if the caller's transaction fails after it, the caller
 * removes them with `discardUpload`.
 */
export function recordUpload(
	db: Database | Transaction,
	store: MediaStore,
	actor: Actor,
	upload: PreparedUpload
): Promise<MediaItem> {
	return saveUpload(db, store, actor, mediaPolicy.keepUpload, upload);
}

/** Removes a prepared upload's files (its row was never saved, or went with a transaction). */
export function discardUpload(store: MediaStore, upload: PreparedUpload): Promise<void> {
	return removeObjects(store, upload.written);
}

/**
 * Both halves at once, for the platform's own files (the demo's documents) and tests: the bytes
 * are decoded where this is called, so a caller with a transaction open prepares first instead.
 */
export async function addToLibrary(
	db: Database | Transaction,
	store: MediaStore,
	actor: Actor,
	input: UploadInput
): Promise<MediaItem> {
	return recordUpload(db, store, actor, await prepareUpload(store, input));
}

/** Removes a library item's files from the store (its row was never saved, or is gone). */
export async function discardStoredFiles(
	store: MediaStore,
	item: Pick<MediaItem, 'kind' | 'storageKey' | 'variants'>
): Promise<void> {
	await removeObjects(store, objectKeysOf(item));
}

/**
 * Takes a file another module added out of the library when that module lets its owner take it
 * away (the author replacing their proposal's photo): the row and its audit entry in the caller's
 * transaction. Gives the objects to remove with `removeStoredFiles` once that has committed.
 */
export async function removeFromLibrary(tx: Transaction, actor: Actor, id: number): Promise<string[]> {
	return runCommand(tx, actor, {
		rule: mediaPolicy.dropUpload,
		parse: () => id,
		work: async (tx, id) => {
			const [row] = await tx.delete(media).where(eq(media.id, id)).returning();
			if (!row) return { result: [], audit: [], public: false };
			return {
				result: objectKeysOf(row),
				audit: { action: 'media.delete', subject: `media:${row.id}`, before: auditedOf(row) },
				public: false
			};
		}
	});
}

/** Removes objects whose row is gone; a failure is logged, not thrown (the change stands). */
export async function removeStoredFiles(store: MediaStore, keys: readonly string[]): Promise<void> {
	for (const key of keys) {
		await store.delete(key).catch((error) => {
			// The row is gone, so nothing links here any more; an operator can sweep the leftover.
			logger.warn({ err: error, key }, 'Could not remove a media file from the store');
		});
	}
}

const auditedOf = (row: typeof media.$inferSelect) => ({
	kind: row.kind,
	fileName: row.fileName,
	mime: row.mime,
	bytes: row.bytes,
	storageKey: row.storageKey,
	alt: row.alt
});

function sorted(text: LocalizedText): LocalizedText {
	return Object.fromEntries(Object.entries(text).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Sets an image's alt text in every language at once (an empty one removes it). An image keeps
 * at least one; it is usable in an article only in the languages it has alt text in. The same
 * text again changes nothing and writes no audit row.
 */
export async function setAltText(db: Database, actor: Actor, raw: Raw): Promise<MediaItem> {
	return runCommand(db, actor, {
		rule: mediaPolicy.upload,
		parse: () => {
			const input = readForm(raw, altForm, 'media');
			return { id: input.id, alt: altOf(input) };
		},
		work: async (tx, { id, alt }) => {
			const [current] = await tx
				.select({ kind: media.kind, alt: media.alt })
				.from(media)
				.where(eq(media.id, id))
				.for('update');
			if (!current || current.kind !== 'image') throw unknownMedia();
			if (Object.keys(alt).length === 0) {
				throw new ValidationError([{ field: 'alt', code: 'altRequired' }], 'media');
			}
			const unchanged = JSON.stringify(sorted(current.alt)) === JSON.stringify(sorted(alt));
			if (!unchanged) await tx.update(media).set({ alt }).where(eq(media.id, id));
			return {
				result: (await mediaItem(tx, id))!,
				audit: unchanged
					? []
					: { action: 'media.alt', subject: `media:${id}`, before: { alt: current.alt }, after: { alt } },
				public: false
			};
		}
	});
}

/** What the app asks of the modules when a library file is deleted (app/media.ts). */
export interface DeletionHooks {
	/** The pages that show the file. */
	usesOf: (tx: Transaction, file: LibraryFile) => Promise<readonly unknown[]>;
	/** Takes the modules' links to the file out of their texts. */
	deleted: (tx: Transaction, file: LibraryFile) => Promise<void>;
}

const noModules: DeletionHooks = { usesOf: async () => [], deleted: async () => {} };

/**
 * Removes a file from the library (editors and admins): the row and its audit entry in one
 * transaction, then its files in the store. Pages that showed it are rendered anew. A file that
 * pages show (`usesOf`: the app asks the modules) goes only with `confirm` ticked: the editor has
 * seen which pages lose it. Their lead images and documents go with it, and the texts that linked
 * to it keep the link's words without the link (`deleted`), in the same transaction.
 */
export async function deleteMedia(
	db: Database,
	store: MediaStore,
	actor: Actor,
	raw: Raw,
	hooks: DeletionHooks = noModules
): Promise<{ fileName: string }> {
	const removed = await runCommand(db, actor, {
		rule: mediaPolicy.delete,
		parse: () => readForm(raw, deleteForm, 'media'),
		work: async (tx, { id, confirm }) => {
			// The library's own files only: a proposal's photo or a report's attachment goes with its owner.
			const [file] = await tx
				.select({ id: media.id, storageKey: media.storageKey })
				.from(media)
				.where(and(eq(media.id, id), eq(media.origin, 'library')))
				.for('update');
			if (!file) throw unknownMedia();
			// Asked in the transaction: a page that took the file up since the list was shown counts.
			if (!confirm && (await hooks.usesOf(tx, file)).length)
				throw new ValidationError([{ field: 'confirm', code: 'inUse' }], 'media');
			await hooks.deleted(tx, file);
			const [row] = await tx.delete(media).where(eq(media.id, file.id)).returning();
			return {
				result: row!,
				audit: { action: 'media.delete', subject: `media:${row!.id}`, before: auditedOf(row!) },
				// Published pages with this file must not be served from a cache that still shows it.
				public: true
			};
		}
	});
	await removeStoredFiles(store, objectKeysOf(removed));
	return { fileName: removed.fileName };
}
