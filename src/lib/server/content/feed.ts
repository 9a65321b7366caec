import { localizePath, messages, format, type Locale } from '#lib/i18n/index.ts';
import type { ArticleCard } from './queries.ts';

const escapeXml = (s: string) =>
	s.replace(
		/[<>&'"]/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!
	);

/** An Atom feed of articles in one language (optionally one theme's). */
export function atomFeed(
	origin: string,
	locale: Locale,
	articles: ArticleCard[],
	selfPath: string,
	themeName?: string
): string {
	const m = messages(locale);
	const title = themeName ? format(m.content.feed.themeTitle, { theme: themeName }) : m.content.feed.title;
	const updated = articles[0]?.publishedAt ?? new Date(0).toISOString();
	const entries = articles
		.map((a) => {
			const url = origin + localizePath(locale, `/inspiration/${a.slug}`);
			const theme = a.themes[0]?.name;
			return `	<entry>
		<title>${escapeXml(theme ? `${theme} – ${a.title}` : a.title)}</title>
		<link href="${escapeXml(url)}"/>
		<id>${escapeXml(url)}</id>
		<published>${a.publishedAt}</published>
		<updated>${a.publishedAt}</updated>
		<summary>${escapeXml(a.teaser)}</summary>
${a.themes.map((t) => `		<category term="${escapeXml(t.key)}" label="${escapeXml(t.name)}"/>`).join('\n')}
	</entry>`;
		})
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
	<title>${escapeXml(title)}</title>
	<link href="${escapeXml(origin + localizePath(locale, '/inspiration'))}"/>
	<link rel="self" href="${escapeXml(origin + selfPath)}"/>
	<id>${escapeXml(origin + selfPath)}</id>
	<updated>${updated}</updated>
	<author><name>${escapeXml(m.site.name)}</name></author>
${entries}
</feed>
`;
}
