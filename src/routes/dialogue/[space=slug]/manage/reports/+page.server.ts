import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { teamFilterShape } from '#lib/server/dialogue/map-reports/input.ts';
import { teamReportsPage } from '#lib/server/dialogue/map-reports/page.ts';
import { signInFirst } from '../work.ts';

// The team's list of reports: new ones first (oldest first), every report public or not.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	const data = await forPage(locals.locale, async () =>
		teamReportsPage(
			await db(),
			params.space,
			readQuery(url.searchParams, teamFilterShape, 'dialogue'),
			locals.user,
			locals.locale
		)
	);
	if (data.list.page > data.list.pages) error(404, messages(locals.locale).errors.notFound);
	return data;
};
