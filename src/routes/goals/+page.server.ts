import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';
import { inspirationCounts } from '#lib/server/content/facets.ts';

export const load: PageServerLoad = async ({ locals }) => {
	const database = await db();
	return {
		goals: await listGoals(database, locals.locale, await inspirationCounts(database, locals.locale))
	};
};
