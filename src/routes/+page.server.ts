import type { PageServerLoad } from './$types';
import { db } from '#lib/server/db/app.ts';
import { latestArticles, listThemes } from '#lib/server/content/queries.ts';
import { listGoals } from '#lib/server/sdg/queries.ts';

export const load: PageServerLoad = async ({ locals }) => {
	const database = await db();
	const [latest, themes, goals] = await Promise.all([
		latestArticles(database, locals.locale, 6),
		listThemes(database, locals.locale),
		listGoals(database, locals.locale)
	]);
	return { latest, principles: themes.filter((t) => t.kind === 'principle'), goals };
};
