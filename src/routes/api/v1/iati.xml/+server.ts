import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { programmeIatiXml } from '#lib/server/results/iati/export.ts';

/** GET /api/v1/iati.xml: the programme's activity file, one activity per partnership with a framework (decision 16). */
export const GET: RequestHandler = ({ url }) =>
	forApi(
		answerLanguage(url.searchParams),
		async () =>
			new Response(await programmeIatiXml(await db()), {
				headers: { 'content-type': 'application/xml; charset=utf-8' }
			})
	);
