import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { analysisIndexView } from '#lib/server/results/analysis/views.ts';

// The published yearly analyses (and, for editors, the years they can work on).
export const csr = false;

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => analysisIndexView(await db(), locals.user));
