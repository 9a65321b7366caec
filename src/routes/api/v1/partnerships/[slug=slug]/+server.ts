import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { readPartnershipApiQuery } from '#lib/server/partnerships/input.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { getPartnership } from '#lib/server/partnerships/queries.ts';
import { partnershipJson } from '#lib/server/partnerships/views.ts';

/** GET /api/v1/partnerships/<slug>: one partnership with everything its page shows. */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang } = readPartnershipApiQuery(url.searchParams);
		const found = await getPartnership(await db(), lang, params.slug);
		if (!found) throw new NotFoundError('partnership');
		return Response.json(partnershipJson(url.origin, lang, found));
	});
