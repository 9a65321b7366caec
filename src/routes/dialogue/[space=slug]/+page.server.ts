import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { fields, readQuery } from '#lib/server/kernel/input.ts';
import { readProposalListFilter } from '#lib/server/dialogue/spaces/input.ts';
import { getSpace, spaceProposals } from '#lib/server/dialogue/spaces/queries.ts';
import { spaceFigures } from '#lib/server/dialogue/figures.ts';
import { isFollowing } from '#lib/server/dialogue/notifications/follows.ts';
import { takesReports } from '#lib/server/dialogue/map-reports/queries.ts';
import { spaceSurveys } from '#lib/server/dialogue/surveys/queries.ts';

// A public page: plain HTML and a GET form, no client code.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const database = await db();
	const { space, filter, proposals } = await forPage(locals.locale, async () => {
		const filter = readProposalListFilter(url.searchParams);
		const space = await getSpace(database, locals.locale, params.space, locals.user);
		return { space, filter, proposals: await spaceProposals(database, space.id, filter) };
	});
	if (proposals.page > proposals.pages) error(404, messages(locals.locale).errors.notFound);
	// The promise to answer, kept or not: public on every space.
	return {
		space,
		filter,
		proposals,
		figures: await spaceFigures(database, space.id),
		takesReports: await takesReports(database, space.id),
		surveys: await spaceSurveys(database, space.id, locals.locale),
		following: await isFollowing(database, locals.user, { space: params.space }),
		// `?created`: the space was just made (the new-space form redirects here).
		created: readQuery(url.searchParams, { created: fields.present }).created
	};
};
