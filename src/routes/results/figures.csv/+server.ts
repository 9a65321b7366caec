import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { readDashboardQuery } from '#lib/server/results/dashboard/input.ts';
import { dashboardCsv, dashboardView } from '#lib/server/results/dashboard/views.ts';

/** GET /results/figures.csv: every figure of /results for the same filters, in the page's language. */
export const GET: RequestHandler = ({ locals, url }) =>
	forApi(locals.locale, async () => {
		const view = await dashboardView(await db(), readDashboardQuery(url.searchParams), locals.locale);
		const { header, rows } = dashboardCsv(view, locals.locale);
		return csvResponse(`results-${view.filter.year}.csv`, header, rows);
	});
