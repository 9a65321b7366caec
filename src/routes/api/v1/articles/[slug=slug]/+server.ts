import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { getArticle } from '#lib/server/content/queries.ts';
import { parseLang } from '#lib/server/content/validation.ts';
import { articleJson } from '#lib/server/content/api.ts';

/** GET /api/v1/articles/<slug>?lang=sv|en */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(url.searchParams.get('lang') === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const article = await getArticle(await db(), lang, params.slug);
		if (!article) throw new NotFoundError('Article');
		return Response.json(articleJson(url.origin, lang, article));
	});
