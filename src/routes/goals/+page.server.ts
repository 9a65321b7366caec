import type { PageServerLoad } from './$types';
import { db } from '#lib/server/db/app.ts';
import { listGoals } from '#lib/server/sdg/queries.ts';

export const load: PageServerLoad = async ({ locals }) => ({
	goals: await listGoals(await db(), locals.locale)
});
