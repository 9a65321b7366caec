import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage, readParam, readQuery } from '#lib/server/kernel/input.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { getGoal } from '#lib/server/taxonomy/goals.ts';
import { goalNumber, goalsApiQuery } from '#lib/server/content/input.ts';
import { inspirationCounts } from '#lib/server/content/facets.ts';
import { goalJson } from '#lib/server/content/views.ts';

/** GET /api/v1/goals/<n>?lang=: one goal with its targets. */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang } = readQuery(url.searchParams, goalsApiQuery, 'content');
		const n = readParam(params.n, goalNumber, 'goal', 'content');
		const database = await db();
		const goal = await getGoal(database, lang, n, await inspirationCounts(database, lang));
		if (!goal) throw new NotFoundError('Goal');
		return Response.json(goalJson(goal));
	});
