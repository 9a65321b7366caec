import type { Database } from './database.ts';
import type { Listener } from './listener.ts';
import { logger } from './logger.ts';
import { deliverDue, mailChannel, onMailEnqueued, pruneSentMail } from './outbox.ts';

/** The outbox's worker in one process (see outbox.ts for what it guarantees). */
export interface MailWorker {
	/** Looks for due mail now: at start, on each tick (the fallback), on an enqueue or a NOTIFY. */
	wake(): void;
	/** Resolves once nothing is being sent (tests). */
	idle(): Promise<void>;
	/** Lets the message being sent finish, then stops listening and looking. */
	stop(): Promise<void>;
}

export interface MailWorkerOptions {
	/** PostgreSQL: the process's listener; `mail_outbox` on it wakes this worker on an enqueue in any instance. */
	listener?: Listener;
	/** Messages per round before the next round is started (another wake between them is kept). */
	batch?: number;
	/** Sent messages are deleted after this many days (checked at most once an hour). */
	keepSentDays?: number;
}

const hour = 60 * 60_000;

/**
 * Starts the worker: it sends what is due at once (mail left pending by a crash goes now), then
 * whenever woken. Rounds never overlap within the process; other processes' workers take other
 * rows (PostgreSQL) or there are none (PGlite).
 */
export function startMailWorker(db: Database, options: MailWorkerOptions = {}): MailWorker {
	const batch = options.batch ?? 20;
	const controller = new AbortController();
	let stopped = false;
	let again = false;
	let running: Promise<void> | undefined;
	let prunedAt = 0;

	const round = async () => {
		do {
			again = false;
			try {
				const report = await deliverDue(db, { batch, signal: controller.signal });
				// A full round leaves more behind: go on without waiting for the next wake.
				if (report.sent + report.retried + report.failed >= batch) again = true;
				if (Date.now() - prunedAt > hour) {
					prunedAt = Date.now();
					const pruned = await pruneSentMail(db, options.keepSentDays);
					if (pruned) logger.info({ pruned }, 'Old sent mail deleted from the outbox');
				}
			} catch (error) {
				// The database away, a statement timed out: the next wake (at the latest the tick) tries again.
				logger.warn({ err: error }, 'The mail outbox could not be worked');
				break;
			}
		} while (again && !stopped);
		running = undefined;
	};

	const wake = () => {
		if (stopped) return;
		if (running) {
			again = true;
			return;
		}
		running = round();
	};

	// With a listener, the NOTIFY wakes every instance after the commit, and so does each LISTEN
	// taking effect (a reconnection: what was enqueued meanwhile was not heard). Without one
	// (PGlite), an enqueue here wakes this worker: PGlite runs the worker's statements only once the
	// enqueuing transaction has ended, so the worker sees the row. (On PostgreSQL such a wake would
	// come before the commit and find nothing; the tick would then be the one to send it.)
	const unsubscribe = options.listener
		? options.listener.subscribe(mailChannel, wake, wake)
		: onMailEnqueued(wake);
	wake();

	return {
		wake,
		idle: async () => {
			while (running) await running;
		},
		stop: async () => {
			stopped = true;
			controller.abort();
			unsubscribe();
			while (running) await running;
		}
	};
}
