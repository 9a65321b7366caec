import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { readProposalApiQuery } from '#lib/server/dialogue/open-data/input.ts';
import { getProposal } from '#lib/server/dialogue/open-data/queries.ts';
import { proposalJson } from '#lib/server/dialogue/open-data/views.ts';

/** GET /api/v1/proposals/<id>: one public proposal with its published answers and its history. */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang } = readProposalApiQuery(url.searchParams);
		return Response.json(proposalJson(url.origin, lang, await getProposal(await db(), params.id)));
	});
