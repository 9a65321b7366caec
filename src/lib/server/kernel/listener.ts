import type { Client } from 'pg';
import { config } from './config.ts';
import { logger } from './logger.ts';

/**
 * A process's one PostgreSQL LISTEN connection: every channel the process hears (the content
 * revision, the mail outbox) on it. LISTEN belongs to a session, so it is a connection of its own,
 * outside the pool (a pooled connection is not kept).
 */
export interface Listener {
	/**
	 * Hears `channel`: `onNotify` with each NOTIFY's payload, `onListen` each time the LISTEN takes
	 * effect (the first time and after every reconnection), to read what was announced while nobody
	 * listened. Returns the unsubscribe.
	 */
	subscribe(channel: string, onNotify: (payload: string) => void, onListen?: () => void): () => void;
	/** Ends the connection and the reconnecting. */
	close(): Promise<void>;
}

interface Subscriber {
	onNotify(payload: string): void;
	onListen?(): void;
}

// Channel names go into the statement as they are: only plain identifiers are taken.
const channelName = /^[a-z_][a-z0-9_]*$/;

/**
 * Connects to `url` and keeps listening: a dropped connection is made again with back-off (0.25 s
 * doubling to 10 s) and every channel listened to again. A NOTIFY sent while it is away is lost:
 * `onListen` and the caller's poll cover the gap.
 */
export function startListener(url: string): Listener {
	const subscribers = new Map<string, Set<Subscriber>>();
	let closed = false;
	let client: Client | undefined;
	let connected = false;
	/** The channels whose LISTEN has taken effect on the current connection. */
	let listening = new Set<string>();
	let syncing = Promise.resolve();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let delay = 250;

	// One at a time: LISTEN every channel not yet heard, then tell their subscribers.
	const sync = () =>
		(syncing = syncing.then(async () => {
			const on = client;
			const fresh = [...subscribers.keys()].filter((c) => !listening.has(c));
			if (!on || !connected || fresh.length === 0) return;
			try {
				// All channels in one statement: pg_stat_activity shows what the connection hears.
				await on.query([...subscribers.keys()].map((c) => `listen ${c}`).join('; '));
			} catch (error) {
				logger.warn({ err: error }, 'The database listener could not listen; connecting again');
				// Its end makes a new connection, which listens to every channel.
				await on.end().catch(() => {});
				return;
			}
			if (on !== client) return;
			for (const channel of fresh) {
				listening.add(channel);
				for (const s of subscribers.get(channel) ?? []) s.onListen?.();
			}
		}));

	const again = () => {
		if (closed || timer) return;
		timer = setTimeout(() => {
			timer = undefined;
			void connect();
		}, delay);
		timer.unref();
		delay = Math.min(delay * 2, 10_000);
	};

	const connect = async (): Promise<void> => {
		const { default: pg } = await import('pg');
		const next = new pg.Client({
			connectionString: url,
			keepAlive: true,
			connectionTimeoutMillis: config().databaseTimeouts.connectMs
		});
		client = next;
		connected = false;
		listening = new Set();
		// Without a handler, a dropped connection's error would end the process.
		next.on('error', (error) => logger.warn({ err: error }, 'The database listener lost its connection'));
		next.on('end', () => {
			if (client !== next) return;
			connected = false;
			again();
		});
		next.on('notification', ({ channel, payload }) => {
			if (client === next) for (const s of subscribers.get(channel) ?? []) s.onNotify(payload ?? '');
		});
		try {
			await next.connect();
		} catch (error) {
			logger.warn({ err: error }, 'The database listener could not connect; trying again');
			await next.end().catch(() => {});
			again();
			return;
		}
		if (closed) return void (await next.end().catch(() => {}));
		connected = true;
		delay = 250;
		await sync();
	};

	const started = connect();
	return {
		subscribe(channel, onNotify, onListen) {
			if (!channelName.test(channel)) throw new Error(`Not a channel name: ${channel}`);
			const subscriber: Subscriber = { onNotify, onListen };
			const set = subscribers.get(channel) ?? new Set();
			subscribers.set(channel, set);
			set.add(subscriber);
			if (listening.has(channel)) onListen?.();
			else void sync();
			// The channel stays listened to: a NOTIFY nobody subscribes to is dropped here.
			return () => void set.delete(subscriber);
		},
		async close() {
			closed = true;
			clearTimeout(timer);
			await started;
			const last = client;
			client = undefined;
			await last?.end().catch(() => {});
		}
	};
}
