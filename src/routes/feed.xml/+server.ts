import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { latestArticles } from '#lib/server/content/queries.ts';
import { listThemes } from '#lib/server/taxonomy/themes.ts';
import { atomFeed } from '#lib/server/content/feed.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';

/** Atom feed per language (/feed.xml, /en/feed.xml), optionally ?theme=participation. */
export const GET: RequestHandler = ({ locals, url }) =>
	forApi(locals.locale, async () => {
		const database = await db();
		const themeParam = url.searchParams.getAll('theme');
		const themes = await listThemes(database, locals.locale);
		const theme = themeParam.length ? themes.find((t) => t.key === themeParam[0]) : undefined;
		if (themeParam.length > 1) throw new ValidationError([{ field: 'theme', code: 'repeated' }]);
		if (themeParam.length && !theme) throw new ValidationError([{ field: 'theme', code: 'invalidTheme' }]);
		const articles = await latestArticles(database, locals.locale, 50, theme?.key);
		return new Response(
			atomFeed(url.origin, locals.locale, articles, url.pathname + url.search, theme?.name),
			{
				headers: { 'content-type': 'application/atom+xml; charset=utf-8' }
			}
		);
	});
