import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { forOpen311, open311Answer, open311Services } from '#lib/server/dialogue/map-reports/open311.ts';

/** GET /open311/v2/services.json (or .xml)?jurisdiction_id=<space>: Open311 GeoReport v2 service list. */
export const GET: RequestHandler = ({ url, params }) =>
	forOpen311(params.format, async () =>
		open311Answer(
			params.format,
			'services',
			await open311Services(await db(), url.searchParams, answerLanguage(url.searchParams))
		)
	);
