import { error } from '@sveltejs/kit';
import { messages } from '#lib/i18n/index.ts';
import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { searchQuery } from '#lib/server/content/input.ts';
import { searchArticles } from '#lib/server/content/search.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { q, page } = await forPage(locals.locale, () => readQuery(url.searchParams, searchQuery, 'content'));
	const result = await searchArticles(await db(), locals.locale, q, page);
	if (result.page > result.pages) error(404, messages(locals.locale).errors.notFound);
	return { q, result };
};
