import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { readPartnershipListApiQuery } from '#lib/server/partnerships/input.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { findPartnerships } from '#lib/server/partnerships/queries.ts';
import {
	partnershipCsvHeader,
	partnershipCsvRecord,
	partnershipListJson
} from '#lib/server/partnerships/views.ts';

/** GET /api/v1/partnerships: the list's filters plus lang, page, per_page and format=csv. */
export const GET: RequestHandler = ({ url }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { filter, lang, format, perPage } = readPartnershipListApiQuery(url.searchParams);
		// The CSV is the whole filtered list; JSON pages like the other lists.
		const result = await findPartnerships(await db(), lang, filter, perPage);
		if (format === 'csv') {
			return csvResponse(
				'partnerships.csv',
				partnershipCsvHeader,
				result.rows.map((p) => partnershipCsvRecord(url.origin, lang, p))
			);
		}
		return Response.json(partnershipListJson(url.origin, lang, result));
	});
