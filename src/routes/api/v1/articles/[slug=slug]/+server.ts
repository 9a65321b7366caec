import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage, readQuery } from '#lib/server/kernel/input.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { articleApiQuery } from '#lib/server/content/input.ts';
import { getArticle } from '#lib/server/content/queries.ts';
import { articleJson } from '#lib/server/content/views.ts';

/** GET /api/v1/articles/<slug>?lang=sv|en */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang } = readQuery(url.searchParams, articleApiQuery, 'content');
		const article = await getArticle(await db(), lang, params.slug);
		if (!article) throw new NotFoundError('Article');
		return Response.json(articleJson(url.origin, lang, article));
	});
