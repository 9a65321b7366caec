import type { Database, DatabaseHandle } from '../kernel/database.ts';
import { config } from '../kernel/config.ts';
import { logger } from '../kernel/logger.ts';
import { listenForRevisions, readRevision, type RevisionListener } from '../kernel/revision.ts';
import { setSharedVersion } from '../kernel/content-version.ts';
import { resetMailTransport } from '../kernel/mail.ts';
import { startMailWorker, type MailWorker } from '../kernel/outbox-worker.ts';
import { openConfiguredDatabase, runTicks } from './startup.ts';

let poller: ReturnType<typeof setInterval> | undefined;
let listener: RevisionListener | undefined;
let mailWorker: MailWorker | undefined;
let opening: Promise<DatabaseHandle> | undefined;

/**
 * The application's database, opened once per process on first use: PostgreSQL when DATABASE_URL
 * is set, otherwise PGlite under DATA_DIR (./data/db). Migrated, with reference data and (unless
 * SEED_DEMO=false) the demo; then each tick runs the modules' periodic work and picks up what
 * other instances changed. The mail outbox's worker runs in every process: woken by an enqueue
 * (on PostgreSQL the NOTIFY of any instance), with each tick as the fallback.
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
		// A revision announced while a read was under way is newer than what that read returns:
		// a read is applied only if nothing was heard meanwhile (else the older revision, and the
		// pages cached under it, would come back until the next tick).
		let heard = 0;
		const readShared = async () => {
			const before = heard;
			const revision = await readRevision(handle.db);
			if (heard === before) setSharedVersion(revision);
		};
		const url = config().databaseUrl;
		mailWorker = startMailWorker(handle.db, {
			listenUrl: handle.kind === 'postgres' ? url : undefined
		});
		poller = setInterval(() => {
			mailWorker?.wake();
			runTicks(handle.db)
				.then(readShared)
				.catch((error) => logger.warn({ err: error }, 'Could not poll the revision'));
		}, config().revisionPollMs);
		poller.unref();
		// On PostgreSQL other instances' writes arrive at once; the poll stays as the fallback.
		if (handle.kind === 'postgres' && url) {
			const announced = (revision: string) => {
				heard++;
				setSharedVersion(revision);
			};
			// After a reconnection, what was announced while the listener was away is read.
			const missed = () =>
				void readShared().catch((error) => logger.warn({ err: error }, 'Could not read the revision'));
			listener = listenForRevisions(url, announced, missed);
		}
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
	// The message being sent is finished (and marked) before the database closes.
	await mailWorker?.stop();
	mailWorker = undefined;
	resetMailTransport();
	await listener?.close();
	listener = undefined;
	const handle = await opening;
	opening = undefined;
	await handle.close();
}
