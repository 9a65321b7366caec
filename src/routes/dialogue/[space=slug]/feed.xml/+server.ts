import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { spaceFeed } from '#lib/server/dialogue/open-data/space.ts';
import { feedEntries, spaceFeedXml } from '#lib/server/dialogue/open-data/feed.ts';

/** GET /dialogue/<space>/feed.xml (and /en/…): Atom feed of the space's new proposals and answers. */
export const GET: RequestHandler = ({ url, params, locals }) =>
	forApi(locals.locale, async () => {
		const data = await spaceFeed(await db(), params.space, feedEntries);
		return new Response(spaceFeedXml(url.origin, locals.locale, data, url.pathname), {
			headers: { 'content-type': 'application/atom+xml; charset=utf-8' }
		});
	});
