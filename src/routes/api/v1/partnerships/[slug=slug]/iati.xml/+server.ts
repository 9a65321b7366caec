import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { partnershipIatiXml } from '#lib/server/results/iati/export.ts';

/** GET /api/v1/partnerships/<slug>/iati.xml: the partnership's results as an IATI 2.03 activity (decision 16). */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(
		answerLanguage(url.searchParams),
		async () =>
			new Response(await partnershipIatiXml(await db(), params.slug), {
				headers: { 'content-type': 'application/xml; charset=utf-8' }
			})
	);
