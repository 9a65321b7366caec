import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { appDatabase } from '#lib/server/app/database.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import { retryAfterSeconds } from '#lib/server/kernel/http.ts';

/** How long readiness waits for the database before it says no. */
const readyWithinMs = 2000;

/**
 * Readiness: migrated and prepared (opening the database does both) and answering within
 * `readyWithinMs`. 503 otherwise, so a proxy sends requests elsewhere until it is back.
 */
export const GET: RequestHandler = async () => {
	const headers = { 'cache-control': 'no-store' };
	try {
		const answered = (async () => {
			const { db, kind } = await appDatabase();
			await db.execute(sql`select 1`);
			return kind;
		})();
		const database = await Promise.race([
			answered,
			new Promise<never>((_, reject) =>
				setTimeout(() => reject(new Error('The database did not answer in time')), readyWithinMs).unref()
			)
		]);
		return Response.json({ status: 'ready', database }, { headers });
	} catch (error) {
		logger.warn({ err: error }, 'Not ready');
		return Response.json(
			{ status: 'unavailable' },
			{ status: 503, headers: { ...headers, 'retry-after': String(retryAfterSeconds) } }
		);
	}
};
