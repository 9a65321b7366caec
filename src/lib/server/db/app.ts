import path from 'node:path';
import { openDatabase, type Database, type DatabaseHandle } from './index.ts';
import { seedDemoContent, seedReferenceData } from './seed.ts';
import { logger } from '../core/logger.ts';
import { readRevision } from '../core/revision.ts';
import { setSharedVersion } from '../core/content-version.ts';
import { publishDueArticles } from '../content/workflow.ts';
import { seedDemoProfiles } from '../partner-search/service.ts';
import { seedDemoDocuments } from '../partnerships/demo.ts';
import { mediaStore } from '../media/app.ts';

/** How often an instance looks for content published by another instance. */
const revisionPollMs = Number(process.env.REVISION_POLL_MS ?? 2000);
let poller: ReturnType<typeof setInterval> | undefined;

let opening: Promise<DatabaseHandle> | undefined;

/**
 * The application's database, opened once per process on first use: PostgreSQL when DATABASE_URL
 * is set, otherwise PGlite under DATA_DIR (./data/db). Migrates, loads reference data and, into an
 * empty database, the demo content.
 */
export function appDatabase(): Promise<DatabaseHandle> {
	opening ??= (async () => {
		const url = process.env.DATABASE_URL || undefined;
		const dataDir = path.resolve(process.env.DATA_DIR ?? 'data/db');
		const handle = await openDatabase(url ? { url } : { dataDir });
		await seedReferenceData(handle.db);
		if (process.env.SEED_DEMO !== 'false') {
			if (await seedDemoContent(handle.db)) logger.info('Loaded the demo content into an empty database');
			// Example documents and "looking for a partner" profiles, only where there are none yet.
			await seedDemoDocuments(handle.db, mediaStore());
			await seedDemoProfiles(handle.db);
		}
		setSharedVersion(await readRevision(handle.db));
		// Each tick: publish what is scheduled for now (any instance may; each row goes once), then
		// pick up content other instances changed.
		poller = setInterval(() => {
			publishDueArticles(handle.db)
				.then(() => readRevision(handle.db))
				.then(setSharedVersion, (error) => logger.warn({ err: error }, 'Could not publish or poll'));
		}, revisionPollMs);
		poller.unref();
		logger.info({ database: handle.kind }, 'Database ready');
		return handle;
	})();
	return opening;
}

export async function db(): Promise<Database> {
	return (await appDatabase()).db;
}

/** Closes the database (on shutdown). */
export async function closeAppDatabase(): Promise<void> {
	if (!opening) return;
	clearInterval(poller);
	const handle = await opening;
	opening = undefined;
	await handle.close();
}
