import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { NotFoundError, ValidationError } from '#lib/server/kernel/errors.ts';
import { parseLang } from '#lib/server/content/validation.ts';
import { getGoal } from '#lib/server/taxonomy/goals.ts';
import { inspirationCounts } from '#lib/server/content/queries.ts';

/** GET /api/v1/goals/<n>?lang=: one goal with its targets. */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(url.searchParams.get('lang') === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		if (!/^\d{1,3}$/.test(params.n)) throw new ValidationError([{ field: 'goal', code: 'invalidGoal' }]);
		const database = await db();
		const goal = await getGoal(database, lang, Number(params.n), await inspirationCounts(database, lang));
		if (!goal) throw new NotFoundError('Goal');
		return Response.json(goal);
	});
