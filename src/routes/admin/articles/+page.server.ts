import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { listForWorkspace, parseWorkspaceFilter } from '#lib/server/content/workspace.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const filter = parseWorkspaceFilter(url.searchParams);
		const [result, options] = await Promise.all([
			listForWorkspace(database, locals.user, filter),
			tagOptions(database, locals.locale)
		]);
		return { filter, result, themes: options.themes };
	});
