import type { PageServerLoad } from './$types';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { readProfileFilter } from '#lib/server/partner-search/input.ts';
import { readNames, searchOptions } from '#lib/server/partner-search/names.ts';
import { listProfiles } from '#lib/server/partner-search/profiles/queries.ts';
import { suggestedMatches } from '#lib/server/partner-search/matching/queries.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const filter = readProfileFilter(url.searchParams);
		const database = await db();
		// The names of themes and goals, read once for the listing, the suggestions and the filters.
		const names = await readNames(database, locals.locale);
		const listing = await listProfiles(database, names, filter);
		// A page past the end does not exist (rather than "8 profiles" and none shown).
		if (listing.page > listing.pages) throw new NotFoundError('Page');
		return {
			listing,
			options: searchOptions(names),
			// A target chosen (from a goal page's link) is named in the filter, not only numbered.
			targetTitle: filter.target ? (names.targetName.get(filter.target) ?? null) : null,
			suggestions: await suggestedMatches(database, locals.user, names),
			signedIn: !!locals.user
		};
	});
