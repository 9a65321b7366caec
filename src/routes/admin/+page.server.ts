import type { PageServerLoad } from './$types';
import { db } from '#lib/server/db/app.ts';
import { articleStatusCounts } from '#lib/server/content/queries.ts';
import { forPage } from '#lib/server/core/http.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => ({ counts: await articleStatusCounts(await db(), locals.user) }));
