import { logger } from '../kernel/logger.ts';
import { config } from '../kernel/config.ts';
import { mediaStoreFor, type MediaStore } from '../media/store.ts';
import type { Database, Transaction } from '../kernel/database.ts';
import type { LibraryFile, MediaUse } from '../kernel/module.ts';
import { mediaForgetters, mediaUsers } from './modules.ts';

let store: MediaStore | undefined;

/**
 * The app's media store, chosen once from the environment: an S3-compatible bucket when
 * MEDIA_S3_BUCKET is set, else files under MEDIA_DIR (default: `media` beside DATA_DIR, ./data/media).
 */
export function mediaStore(): MediaStore {
	if (!store) {
		store = mediaStoreFor(config().media);
		logger.info({ store: store.kind }, 'Media store ready');
	}
	return store;
}

/** The pages that show these library files, from every module that uses files. */
export async function libraryUses(
	db: Database | Transaction,
	files: readonly LibraryFile[],
	locale: string
): Promise<MediaUse[]> {
	return (await Promise.all(mediaUsers.map((uses) => uses(db, files, locale)))).flat();
}

/** A library file is being deleted: every module takes its links to it out of its texts. */
export async function forgetLibraryFile(tx: Transaction, file: LibraryFile): Promise<void> {
	for (const forget of mediaForgetters) await forget(tx, file);
}

/** What deleting a library file asks of the modules: where it is used, and to forget it. */
export const libraryHooks = (locale: string) => ({
	usesOf: (tx: Transaction, file: LibraryFile) => libraryUses(tx, [file], locale),
	deleted: forgetLibraryFile
});
