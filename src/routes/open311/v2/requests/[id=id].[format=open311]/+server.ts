import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { forOpen311, open311Answer, open311Request } from '#lib/server/dialogue/map-reports/open311.ts';

/** GET /open311/v2/requests/<id>.json (or .xml)?jurisdiction_id=<space>: one public report. */
export const GET: RequestHandler = ({ url, params }) =>
	forOpen311(params.format, async () =>
		open311Answer(
			params.format,
			'requests',
			await open311Request(
				await db(),
				url.searchParams,
				params.id,
				url.origin,
				answerLanguage(url.searchParams)
			)
		)
	);
