import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { findPartnerships } from '#lib/server/partnerships/service.ts';
import { parseFormat } from '#lib/server/partnerships/validation.ts';
import { parseLang, parsePerPage } from '#lib/server/content/validation.ts';
import {
	partnershipCsvHeader,
	partnershipCsvRecord,
	partnershipSummaryJson
} from '#lib/server/partnerships/api.ts';

/** GET /api/v1/partnerships: the list's filters plus lang, page, per_page and format=csv. */
export const GET: RequestHandler = ({ url }) => {
	const requested = url.searchParams.get('lang');
	return forApi(requested === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const format = parseFormat(url.searchParams);
		// The CSV is the whole filtered list; JSON pages like the other lists.
		const perPage = format === 'csv' ? 10_000 : parsePerPage(url.searchParams);
		const { result } = await findPartnerships(await db(), lang, url.searchParams, perPage);
		if (format === 'csv') {
			return csvResponse(
				'partnerships.csv',
				partnershipCsvHeader,
				result.rows.map((p) => partnershipCsvRecord(url.origin, lang, p))
			);
		}
		return Response.json({
			items: result.rows.map((p) => partnershipSummaryJson(url.origin, lang, p)),
			total: result.total,
			page: result.page,
			perPage: result.perPage
		});
	});
};
