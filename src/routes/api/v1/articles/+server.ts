import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage, readQuery } from '#lib/server/kernel/input.ts';
import { articlesApiQuery } from '#lib/server/content/input.ts';
import { findInspiration } from '#lib/server/content/listing.ts';
import { articleListJson } from '#lib/server/content/views.ts';

/** GET /api/v1/articles: the inspiration listing's filters plus lang, page and per_page. */
export const GET: RequestHandler = ({ url }) =>
	// Errors are in the asked language when it is one we know (the answer says so when it is not).
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang, per_page, ...filter } = readQuery(url.searchParams, articlesApiQuery, 'content');
		const result = await findInspiration(await db(), lang, filter, per_page);
		return Response.json(articleListJson(url.origin, lang, result));
	});
