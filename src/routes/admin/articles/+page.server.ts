import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { workspaceQuery } from '#lib/server/content/workspace/input.ts';
import { listForWorkspace } from '#lib/server/content/workspace/queries.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const filter = readQuery(url.searchParams, workspaceQuery, 'content');
		const [result, options] = await Promise.all([
			listForWorkspace(database, locals.user, filter),
			tagOptions(database, locals.locale)
		]);
		return { filter, result, themes: options.themes };
	});
