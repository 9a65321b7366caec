import type { RequestHandler } from './$types';

/**
 * Liveness: the process answers. It does not ask the database (that is /readyz): an orchestrator
 * that restarted every instance while the database is away would only add to the outage.
 */
export const GET: RequestHandler = () =>
	Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
