import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { listThemes } from '#lib/server/taxonomy/themes.ts';
import { feedQuery } from '#lib/server/content/input.ts';
import { latestArticles } from '#lib/server/content/queries.ts';
import { atomFeed } from '#lib/server/content/views.ts';

/** Atom feed per language (/feed.xml, /en/feed.xml), optionally ?theme=participation. */
export const GET: RequestHandler = ({ locals, url }) =>
	forApi(locals.locale, async () => {
		const query = readQuery(url.searchParams, feedQuery, 'content');
		const database = await db();
		const theme = query.theme
			? (await listThemes(database, locals.locale)).find((t) => t.key === query.theme)
			: undefined;
		if (query.theme && !theme)
			throw new ValidationError([{ field: 'theme', code: 'invalidTheme' }], 'content');
		const articles = await latestArticles(database, locals.locale, 50, theme?.key);
		return new Response(
			atomFeed(url.origin, locals.locale, articles, url.pathname + url.search, theme?.name),
			{
				headers: { 'content-type': 'application/atom+xml; charset=utf-8' }
			}
		);
	});
