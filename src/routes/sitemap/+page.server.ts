import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { listThemes } from '#lib/server/taxonomy/themes.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';

/** The site map for people; /sitemap.xml is the one for search engines. */
export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const [themes, goals] = await Promise.all([
			listThemes(database, locals.locale),
			listGoals(database, locals.locale)
		]);
		return {
			themes: themes.map(({ key, kind, name }) => ({ key, kind, name })),
			goals: goals.map(({ number, shortName }) => ({ number, name: shortName }))
		};
	});
