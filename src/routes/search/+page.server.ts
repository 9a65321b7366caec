import { error } from '@sveltejs/kit';
import { messages } from '#lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { searchSite, siteSearchQuery } from '#lib/server/app/search.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { q, kind, page } = await forPage(locals.locale, () => readQuery(url.searchParams, siteSearchQuery));
	const result = await searchSite(await db(), locals.locale, q, kind, page);
	if (page > result.pages) error(404, messages(locals.locale).errors.notFound);
	return { q, page, result };
};
