import type { Database, DatabaseHandle } from '../kernel/database.ts';
import { config } from '../kernel/config.ts';
import { logger } from '../kernel/logger.ts';
import { startListener, type Listener } from '../kernel/listener.ts';
import { readRevision, revisionChannel } from '../kernel/revision.ts';
import { setSharedVersion } from '../kernel/content-version.ts';
import { resetMailTransport } from '../kernel/mail.ts';
import { startMailWorker, type MailWorker } from '../kernel/outbox-worker.ts';
import { openConfiguredDatabase, runTicks } from './startup.ts';

let poller: ReturnType<typeof setInterval> | undefined;
let listener: Listener | undefined;
let mailWorker: MailWorker | undefined;
let opening: Promise<DatabaseHandle> | undefined;
/** Ticks under way: shutdown lets them finish before the database closes. */
const ticks = new Set<Promise<void>>();
/**
 * Answers being made: shutdown lets them finish before the database closes too. The server's own
 * count ends when a connection closes, but a client that leaves does not stop its page's render,
 * whose next query then met a closed pool ("Cannot use a pool after calling end on the pool").
 */
const answers = new Set<Promise<unknown>>();

/** Runs `answer` as one of those the database waits for when it closes. */
export function whileAnswering<T>(answer: Promise<T>): Promise<T> {
	answers.add(answer);
	answer.then(
		() => answers.delete(answer),
		() => answers.delete(answer)
	);
	return answer;
}

/**
 * The application's database, opened once per process on first use: PostgreSQL when DATABASE_URL
 * is set, otherwise PGlite under DATA_DIR (./data/db). Migrated, with reference data and (unless
 * SEED_DEMO=false) the demo; then each tick runs the modules' periodic work and picks up what
 * other instances changed. The mail outbox's worker runs in every process: woken by an enqueue
 * (on PostgreSQL the NOTIFY of any instance), with each tick as the fallback. On PostgreSQL the
 * process has one LISTEN connection, for both the content revision and the mail outbox.
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
		listener = handle.kind === 'postgres' && url ? startListener(url) : undefined;
		mailWorker = startMailWorker(handle.db, { listener });
		poller = setInterval(() => {
			mailWorker?.wake();
			const tick = runTicks(handle.db)
				.then(readShared)
				.catch((error) => logger.warn({ err: error }, 'Could not poll the revision'))
				.finally(() => ticks.delete(tick));
			ticks.add(tick);
		}, config().revisionPollMs);
		poller.unref();
		// On PostgreSQL other instances' writes arrive at once; the poll stays as the fallback. Each
		// time the LISTEN takes effect (a reconnection too), what was announced meanwhile is read.
		listener?.subscribe(
			revisionChannel,
			(revision) => {
				if (!revision) return;
				heard++;
				setSharedVersion(revision);
			},
			() => void readShared().catch((error) => logger.warn({ err: error }, 'Could not read the revision'))
		);
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
	await Promise.all(ticks);
	await Promise.allSettled(answers);
	const handle = await opening;
	opening = undefined;
	await handle.close();
}
