import { entityKind, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../kernel/database.ts';
import { dialogueNotificationCursor } from '../schema.ts';

// How far the notifier has read a stream (the history, the comments), kept in a row per stream.
//
// Ids come from a sequence, and a transaction that took id 10 may commit after one that took 11:
// a reader that saw 11 and moved past it would never see 10. So the cursor only moves over ids
// without a hole: at a hole it stops, and the rows past it wait for the next tick. A hole that
// stays (an id burned by a change that rolled back) is passed once the row after it is older than
// `holeWaitMs`, far longer than any change's transaction. PGlite runs one transaction at a time
// (one connection), so while the notifier's runs no other is open: a hole there is always one
// that stays (its sequences also jump ahead after a restart), and is passed at once.

/** How long a hole in the ids may be waited for. */
export const holeWaitMs = 60_000;

/** The wait for this database: none on PGlite (see above). */
export const holeWaitFor = (db: object): number =>
	String((db.constructor as unknown as Record<symbol, string>)[entityKind]).startsWith('Pglite')
		? 0
		: holeWaitMs;

/** The database's clock in milliseconds (the rows' times come from it). */
const nowMs = sql<number>`(extract(epoch from now()) * 1000)::float8`.mapWith(Number);

/**
 * The stream's cursor, locked for this transaction, and the database's time; null when another
 * instance holds it now (that one does the work).
 */
export async function lockCursor(
	tx: Transaction,
	stream: string,
	startAt: () => Promise<number>
): Promise<{ lastId: number; now: Date } | null> {
	const take = () =>
		tx
			.select({ lastId: dialogueNotificationCursor.lastId, now: nowMs })
			.from(dialogueNotificationCursor)
			.where(eq(dialogueNotificationCursor.stream, stream))
			.for('update', { skipLocked: true });
	let [row] = await take();
	if (!row) {
		// First run: start from what is there now (nobody followed anything before the notifier).
		const inserted = await tx
			.insert(dialogueNotificationCursor)
			.values({ stream, lastId: await startAt() })
			.onConflictDoNothing()
			.returning({ lastId: dialogueNotificationCursor.lastId });
		// Nothing to read yet on the first run: the next tick starts from here.
		if (inserted[0]) return null;
		row = (await take())[0];
	}
	return row ? { lastId: row.lastId, now: new Date(row.now) } : null;
}

/**
 * The ids (in order, all past `cursor`) that may be passed now: the run without a hole, and past
 * a hole only when the row after it is older than `holeWaitMs` (by the database's clock `now`).
 */
export function passable(
	cursor: number,
	rows: readonly { id: number; at: Date }[],
	now: Date,
	waitMs = holeWaitMs
): number {
	let last = cursor;
	for (const row of rows) {
		if (row.id !== last + 1 && now.getTime() - row.at.getTime() < waitMs) break;
		last = row.id;
	}
	return last;
}

export async function moveCursor(tx: Transaction, stream: string, lastId: number): Promise<void> {
	await tx
		.update(dialogueNotificationCursor)
		.set({ lastId })
		.where(eq(dialogueNotificationCursor.stream, stream));
}
