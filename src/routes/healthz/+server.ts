import { sql } from 'drizzle-orm';
import type { RequestHandler } from './$types';
import { appDatabase } from '#lib/server/app/database.ts';
import { logger } from '#lib/server/kernel/logger.ts';

/** Liveness and readiness: 200 when the database answers, 503 when it does not. */
export const GET: RequestHandler = async () => {
	try {
		const { db, kind } = await appDatabase();
		await db.execute(sql`select 1`);
		return Response.json({ status: 'ok', database: kind }, { headers: { 'cache-control': 'no-store' } });
	} catch (error) {
		logger.error({ err: error }, 'Health check failed');
		return Response.json({ status: 'error' }, { status: 503, headers: { 'cache-control': 'no-store' } });
	}
};
