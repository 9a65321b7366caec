import { logger } from '../core/logger.ts';
import { mediaStoreFromEnv, type MediaStore } from './store.ts';

let store: MediaStore | undefined;

/**
 * The app's media store, chosen once from the environment: an S3-compatible bucket when
 * MEDIA_S3_BUCKET is set, else files under MEDIA_DIR (default: `media` beside DATA_DIR, ./data/media).
 */
export function mediaStore(): MediaStore {
	if (!store) {
		store = mediaStoreFromEnv(process.env);
		logger.info({ store: store.kind }, 'Media store ready');
	}
	return store;
}
