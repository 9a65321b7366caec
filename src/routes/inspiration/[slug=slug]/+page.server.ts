import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { getArticle } from '#lib/server/content/queries.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	// The slug is checked by the route's matcher.
	const article = await getArticle(await db(), locals.locale, params.slug);
	if (!article) error(404, messages(locals.locale).errors.notFound);
	return { article, languages: article.languages };
};
