import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { parseLang } from '#lib/server/content/validation.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';
import { inspirationCounts } from '#lib/server/content/queries.ts';

/** GET /api/v1/goals?lang=: the 17 goals with colours and article counts. */
export const GET: RequestHandler = ({ url }) =>
	forApi(url.searchParams.get('lang') === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const database = await db();
		const goals = await listGoals(database, lang, await inspirationCounts(database, lang));
		return Response.json({
			items: goals.map((g) => ({ ...g, url: `${url.origin}/api/v1/goals/${g.number}` }))
		});
	});
