import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { latestArticles } from '#lib/server/content/queries.ts';
import { inspirationCounts } from '#lib/server/content/facets.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';
import { listThemes } from '#lib/server/taxonomy/themes.ts';

export const load: PageServerLoad = async ({ locals }) => {
	const database = await db();
	const counts = await inspirationCounts(database, locals.locale);
	const [latest, themes, goals] = await Promise.all([
		latestArticles(database, locals.locale, 6),
		listThemes(database, locals.locale, counts.themes),
		listGoals(database, locals.locale, counts)
	]);
	return { latest, principles: themes.filter((t) => t.kind === 'principle'), goals };
};
