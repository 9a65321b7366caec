import { error } from '@sveltejs/kit';
import { messages } from '#lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { inspirationQuery } from '#lib/server/content/input.ts';
import { findInspiration, listingVocabulary } from '#lib/server/content/listing.ts';
import { goalOfTarget } from '#lib/server/taxonomy/goals.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	const database = await db();
	const { filter, result } = await forPage(locals.locale, async () => {
		const filter = readQuery(url.searchParams, inspirationQuery, 'content');
		return { filter, result: await findInspiration(database, locals.locale, filter) };
	});
	// A page past the end does not exist (rather than a page saying "8 hits" and showing none).
	if (result.page > result.pages) error(404, messages(locals.locale).errors.notFound);
	const { themes, goals, targetTitles } = await listingVocabulary(database, locals.locale);
	const { sdg, ...chosen } = filter;
	const scopeGoal = sdg?.goal ?? (sdg?.target ? goalOfTarget(sdg.target) : undefined);
	return {
		filter: { ...chosen, goal: sdg?.goal, target: sdg?.target },
		/** The goal whose targets the target filter offers: the chosen goal, or the chosen target's. */
		scopeGoal,
		/** The short titles of the targets the page can show: the scope goal's. */
		targetTitles: Object.fromEntries(
			[...targetTitles].filter(([code]) => scopeGoal !== undefined && goalOfTarget(code) === scopeGoal)
		),
		result,
		themeNames: Object.fromEntries(themes.map((t) => [t.key, t.name])),
		/** Theme keys in their editorial order (principles first), for the theme filter. */
		themeOrder: themes.map((t) => t.key),
		/** The themes that are democratic principles: their own filter, apart from the topics. */
		principleKeys: themes.filter((t) => t.kind === 'principle').map((t) => t.key),
		goalNames: Object.fromEntries(goals.map((g) => [g.number, g.shortName]))
	};
};
