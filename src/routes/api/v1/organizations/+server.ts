import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { readOrganizationListApiQuery } from '#lib/server/organizations/input.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { listOrganizations } from '#lib/server/organizations/queries.ts';
import {
	organizationCsvHeader,
	organizationCsvRecord,
	organizationListJson
} from '#lib/server/organizations/views.ts';

/** GET /api/v1/organizations: kind, country, county, lang, page, per_page, format=csv. */
export const GET: RequestHandler = ({ url }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { filter, lang, format, perPage } = readOrganizationListApiQuery(url.searchParams);
		const result = await listOrganizations(await db(), lang, filter, perPage);
		if (format === 'csv') {
			return csvResponse(
				'organizations.csv',
				organizationCsvHeader,
				result.rows.map((o) => organizationCsvRecord(url.origin, lang, o))
			);
		}
		return Response.json(organizationListJson(url.origin, lang, result));
	});
