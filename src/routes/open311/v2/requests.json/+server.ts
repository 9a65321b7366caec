import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { forOpen311, open311Requests } from '#lib/server/dialogue/map-reports/open311.ts';

/**
 * GET /open311/v2/requests.json?jurisdiction_id=<space>: the space's public reports, with Open311's
 * filters (service_request_id, service_code, status, start_date, end_date) and page, page_size.
 */
export const GET: RequestHandler = ({ url }) =>
	forOpen311(async () =>
		Response.json(
			await open311Requests(await db(), url.searchParams, url.origin, answerLanguage(url.searchParams))
		)
	);
