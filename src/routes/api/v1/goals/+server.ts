import type { RequestHandler } from './$types';
import { db } from '#lib/server/db/app.ts';
import { forApi } from '#lib/server/core/http.ts';
import { parseLang } from '#lib/server/content/validation.ts';
import { listGoals } from '#lib/server/sdg/queries.ts';

/** GET /api/v1/goals?lang=: the 17 goals with colours and article counts. */
export const GET: RequestHandler = ({ url }) =>
	forApi(url.searchParams.get('lang') === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const goals = await listGoals(await db(), lang);
		return Response.json({
			items: goals.map((g) => ({ ...g, url: `${url.origin}/api/v1/goals/${g.number}` }))
		});
	});
