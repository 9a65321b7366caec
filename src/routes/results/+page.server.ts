import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readDashboardQuery } from '#lib/server/results/dashboard/input.ts';
import { dashboardView } from '#lib/server/results/dashboard/views.ts';

// The programme's dashboard: public, server-rendered, no client code (charts are SVG, filters links).
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const database = await db();
	return forPage(locals.locale, async () => ({
		dashboard: await dashboardView(database, readDashboardQuery(url.searchParams), locals.locale)
	}));
};
