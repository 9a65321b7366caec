import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './database.ts';
import { logger } from './logger.ts';
import { contentRevision } from './schema.ts';

/** The channel a new content revision is announced on (PostgreSQL LISTEN/NOTIFY). */
export const revisionChannel = 'content_revision';

/**
 * Call inside a content write's transaction: other instances will see the change. The new
 * revision is announced in the same transaction, so listeners hear of it when (and only if) it
 * commits; the poll picks it up where nobody listens.
 */
export async function bumpRevision(tx: Transaction | Database): Promise<void> {
	const [row] = await tx
		.insert(contentRevision)
		.values({ id: 1, revision: 1 })
		.onConflictDoUpdate({
			target: contentRevision.id,
			set: { revision: sql`${contentRevision.revision} + 1` }
		})
		.returning({ revision: contentRevision.revision });
	await tx.execute(sql`select pg_notify(${revisionChannel}, ${String(row!.revision)})`);
}

/** The current revision (polled by the app; see app/database.ts). */
export async function readRevision(db: Database): Promise<string> {
	const [row] = await db.select({ revision: contentRevision.revision }).from(contentRevision);
	return String(row?.revision ?? 0);
}

export interface RevisionListener {
	/** Resolves once the first LISTEN is in place (or has failed and the retries have begun). */
	started: Promise<void>;
	close(): Promise<void>;
}

/**
 * Hears every instance's new revisions on PostgreSQL at once, on one connection of its own
 * (outside the pool: a pooled connection is not kept, and LISTEN belongs to a session). When the
 * connection drops it reconnects with back-off (0.25 s doubling to 10 s) and calls `onReconnect`
 * so that what was announced meanwhile is read; the caller's poll covers the gap.
 */
export function listenForRevisions(
	url: string,
	onRevision: (revision: string) => void,
	onReconnect: () => void = () => {}
): RevisionListener {
	let closed = false;
	let client: import('pg').Client | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let delay = 250;
	let attempts = 0;

	const connect = async (): Promise<void> => {
		const { default: pg } = await import('pg');
		const next = new pg.Client({ connectionString: url, keepAlive: true });
		client = next;
		// Without a handler, a dropped connection's error would end the process.
		next.on('error', (error) => logger.warn({ err: error }, 'The revision listener lost its connection'));
		next.on('end', () => {
			if (client === next) again();
		});
		next.on('notification', (message) => {
			if (message.channel === revisionChannel && message.payload) onRevision(message.payload);
		});
		const first = attempts++ === 0;
		try {
			await next.connect();
			await next.query(`listen ${revisionChannel}`);
		} catch (error) {
			logger.warn({ err: error }, 'The revision listener could not connect; trying again');
			await next.end().catch(() => {});
			again();
			return;
		}
		if (closed) return void (await next.end().catch(() => {}));
		delay = 250;
		if (!first) onReconnect();
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

	return {
		started: connect(),
		close: async () => {
			closed = true;
			clearTimeout(timer);
			const last = client;
			client = undefined;
			await last?.end().catch(() => {});
		}
	};
}
