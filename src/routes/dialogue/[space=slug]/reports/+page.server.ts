import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { reportFilterShape } from '#lib/server/dialogue/map-reports/input.ts';
import { reportsPage } from '#lib/server/dialogue/map-reports/page.ts';

// The public map of a space's reports, the same reports as a table, filters and downloads: plain
// HTML and GET forms, no client code. Never in the render cache (dialogue pages are always live).
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const data = await forPage(locals.locale, async () =>
		reportsPage(
			await db(),
			params.space,
			readQuery(url.searchParams, reportFilterShape, 'dialogue'),
			locals.user,
			locals.locale
		)
	);
	if (data.list.page > data.list.pages) error(404, messages(locals.locale).errors.notFound);
	return data;
};
