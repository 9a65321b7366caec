import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage, readQuery } from '#lib/server/kernel/input.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';
import { goalsApiQuery } from '#lib/server/content/input.ts';
import { inspirationCounts } from '#lib/server/content/facets.ts';
import { goalListJson } from '#lib/server/content/views.ts';

/** GET /api/v1/goals?lang=: the 17 goals with colours and article counts. */
export const GET: RequestHandler = ({ url }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang } = readQuery(url.searchParams, goalsApiQuery, 'content');
		const database = await db();
		const goals = await listGoals(database, lang, await inspirationCounts(database, lang));
		return Response.json(goalListJson(url.origin, goals));
	});
