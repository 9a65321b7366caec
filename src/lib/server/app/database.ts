import type { Database, DatabaseHandle } from '../kernel/database.ts';
import { config } from '../kernel/config.ts';
import { logger } from '../kernel/logger.ts';
import { readRevision } from '../kernel/revision.ts';
import { setSharedVersion } from '../kernel/content-version.ts';
import { openConfiguredDatabase, runTicks } from './startup.ts';

let poller: ReturnType<typeof setInterval> | undefined;
let opening: Promise<DatabaseHandle> | undefined;

/**
 * The application's database, opened once per process on first use: PostgreSQL when DATABASE_URL
 * is set, otherwise PGlite under DATA_DIR (./data/db). Migrated, with reference data and (unless
 * SEED_DEMO=false) the demo; then each tick runs the modules' periodic work and picks up what
 * other instances changed.
 */
export function appDatabase(): Promise<DatabaseHandle> {
	if (opening) return opening;
	const attempt = (async () => {
		const handle = await openConfiguredDatabase();
		try {
			setSharedVersion(await readRevision(handle.db));
		} catch (error) {
			await handle.close();
			throw error;
		}
		poller = setInterval(() => {
			runTicks(handle.db)
				.then(() => readRevision(handle.db))
				.then(setSharedVersion, (error) => logger.warn({ err: error }, 'Could not poll the revision'));
		}, config().revisionPollMs);
		poller.unref();
		logger.info({ database: handle.kind }, 'Database ready');
		return handle;
	})();
	opening = attempt;
	// A database that is away at start is asked again by the next request, not given up on.
	attempt.catch((error) => {
		logger.warn({ err: error }, 'Could not open the database; the next request tries again');
		if (opening === attempt) opening = undefined;
	});
	return attempt;
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
