import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { articleStatusCounts } from '#lib/server/content/workspace/queries.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => ({ counts: await articleStatusCounts(await db(), locals.user) }));
