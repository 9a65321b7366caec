import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { readProposalListApiQuery } from '#lib/server/dialogue/open-data/input.ts';
import { listProposals } from '#lib/server/dialogue/open-data/queries.ts';
import { proposalListJson } from '#lib/server/dialogue/open-data/views.ts';
import { proposalTable } from '#lib/server/dialogue/open-data/tables.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';

/**
 * GET /api/v1/proposals: public proposals with the space page's filters (space, status, sort)
 * and answer_state, organization, partnership; lang, page, per_page and format=csv.
 */
export const GET: RequestHandler = ({ url }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { filter, lang, format } = readProposalListApiQuery(url.searchParams);
		const page = await listProposals(await db(), filter);
		if (format === 'csv') {
			const table = proposalTable(url.origin, lang);
			return csvResponse('proposals.csv', table.header, page.items.map(table.row));
		}
		return Response.json(proposalListJson(url.origin, lang, page));
	});
