import { config } from './config.ts';
import type { Database } from './database.ts';
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
	/** PostgreSQL: listen on `mail_outbox` here, so that an enqueue in any instance wakes this one. */
	listenUrl?: string;
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

	// With a listener, the NOTIFY wakes every instance after the commit. Without one (PGlite), an
	// enqueue here wakes this worker: PGlite runs the worker's statements only once the enqueuing
	// transaction has ended, so the worker sees the row. (On PostgreSQL such a wake would come
	// before the commit and find nothing; the tick would then be the one to send it.)
	const listener = options.listenUrl ? listen(options.listenUrl, wake) : undefined;
	const unsubscribe = listener ? () => {} : onMailEnqueued(wake);
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
			await listener?.close();
			while (running) await running;
		}
	};
}

/**
 * LISTEN mail_outbox on a connection of its own (LISTEN belongs to a session, a pooled one is not
 * kept). A dropped connection is made again with back-off (0.25 s doubling to 10 s), and the
 * worker is woken then, for what was enqueued meanwhile; the tick covers the gap.
 */
function listen(url: string, wake: () => void): { close(): Promise<void> } {
	let closed = false;
	let client: import('pg').Client | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let delay = 250;

	const connect = async (): Promise<void> => {
		const { default: pg } = await import('pg');
		const next = new pg.Client({
			connectionString: url,
			keepAlive: true,
			connectionTimeoutMillis: config().databaseTimeouts.connectMs
		});
		client = next;
		// Without a handler, a dropped connection's error would end the process.
		next.on('error', (error) => logger.warn({ err: error }, 'The mail listener lost its connection'));
		next.on('end', () => {
			if (client === next) again();
		});
		next.on('notification', (message) => {
			if (message.channel === mailChannel) wake();
		});
		try {
			await next.connect();
			await next.query(`listen ${mailChannel}`);
		} catch (error) {
			logger.warn({ err: error }, 'The mail listener could not connect; trying again');
			await next.end().catch(() => {});
			again();
			return;
		}
		if (closed) return void (await next.end().catch(() => {}));
		delay = 250;
		wake();
	};

	const again = () => {
		if (closed || timer) return;
		timer = setTimeout(() => {
			timer = undefined;
			void connect();
		}, delay);
		timer.unref();
		delay = Math.min(delay * 2, 10_000);
	};

	const started = connect();
	return {
		close: async () => {
			closed = true;
			clearTimeout(timer);
			await started;
			const last = client;
			client = undefined;
			await last?.end().catch(() => {});
		}
	};
}
