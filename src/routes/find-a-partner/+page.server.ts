import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { listProfiles, partnerSearchOptions, suggestedMatches } from '#lib/server/partner-search/service.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	const database = await db();
	const listing = await forPage(locals.locale, () => listProfiles(database, locals.locale, url.searchParams));
	// A page past the end does not exist (rather than "8 profiles" and none shown).
	if (listing.page > listing.pages) error(404, messages(locals.locale).errors.notFound);
	const [options, suggestions] = await Promise.all([
		partnerSearchOptions(database, locals.locale),
		suggestedMatches(database, locals.user, locals.locale)
	]);
	return { listing, options, suggestions, signedIn: !!locals.user };
};
