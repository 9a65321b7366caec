import type { RequestHandler } from './$types';
import { db } from '#lib/server/db/app.ts';
import { forApi } from '#lib/server/core/http.ts';
import { NotFoundError, ValidationError } from '#lib/server/core/errors.ts';
import { parseLang } from '#lib/server/content/validation.ts';
import { getGoal } from '#lib/server/sdg/queries.ts';

/** GET /api/v1/goals/<n>?lang=: one goal with its targets. */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(url.searchParams.get('lang') === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		if (!/^\d{1,3}$/.test(params.n)) throw new ValidationError([{ field: 'goal', code: 'invalidGoal' }]);
		const goal = await getGoal(await db(), lang, Number(params.n));
		if (!goal) throw new NotFoundError('Goal');
		return Response.json(goal);
	});
