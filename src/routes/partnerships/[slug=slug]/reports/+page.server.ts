import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { reportYearsView } from '#lib/server/results/reports/views.ts';

// A partnership's reporting years, for its people and staff. Its forms post to the year's page.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => reportYearsView(await db(), locals.user, locals.locale, params.slug));
