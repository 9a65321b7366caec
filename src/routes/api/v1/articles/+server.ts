import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { findInspiration } from '#lib/server/content/service.ts';
import { parseLang, parsePerPage } from '#lib/server/content/validation.ts';
import { articleSummaryJson } from '#lib/server/content/api.ts';

/** GET /api/v1/articles: the inspiration listing's filters plus lang, page and per_page. */
export const GET: RequestHandler = ({ url }) => {
	const requested = url.searchParams.get('lang');
	return forApi(requested === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const perPage = parsePerPage(url.searchParams);
		const { result } = await findInspiration(await db(), lang, url.searchParams, perPage);
		return Response.json({
			items: result.items.map((a) => articleSummaryJson(url.origin, lang, a)),
			total: result.total,
			page: result.page,
			perPage: result.perPage
		});
	});
};
