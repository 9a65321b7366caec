import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { articleAddresses } from '#lib/server/content/queries.ts';
import { partnershipAddresses } from '#lib/server/partnerships/queries.ts';
import { organizationAddresses } from '#lib/server/organizations/queries.ts';
import { profileAddresses } from '#lib/server/partner-search/profiles/queries.ts';
import { locales, localizePath } from '#lib/i18n/locales.ts';

// Not /search: robots.txt keeps crawlers out of result pages.
const pages = [
	'/',
	'/inspiration',
	'/goals',
	'/partnerships',
	'/find-a-partner',
	'/dialogue',
	'/results',
	'/accessibility',
	'/privacy',
	'/sitemap'
];

/**
 * Every public page in every language, with hreflang alternates: articles, partnerships,
 * organizations and find-a-partner profiles too.
 */
export const GET: RequestHandler = async ({ url }) => {
	const database = await db();
	const [articles, partnerships, organizations, profiles] = await Promise.all([
		articleAddresses(database),
		partnershipAddresses(database),
		organizationAddresses(database),
		profileAddresses(database)
	]);
	const goals = Array.from({ length: 17 }, (_, i) => `/goals/${i + 1}`);
	const entry = (path: string, langs: readonly string[], lastmod?: string) =>
		langs
			.map(
				(l) =>
					`<url><loc>${url.origin}${localizePath(l as 'sv', path)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}${langs
						.map(
							(a) =>
								`<xhtml:link rel="alternate" hreflang="${a}" href="${url.origin}${localizePath(a as 'sv', path)}"/>`
						)
						.join('')}</url>`
			)
			.join('\n');
	const body = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${[...pages, ...goals].map((p) => entry(p, locales)).join('\n')}
${articles.map((a) => entry(`/inspiration/${a.slug}`, a.languages, a.updatedAt.slice(0, 10))).join('\n')}
${partnerships.map((p) => entry(`/partnerships/${p.slug}`, locales, p.updatedAt.slice(0, 10))).join('\n')}
${organizations.map((slug) => entry(`/organizations/${slug}`, locales)).join('\n')}
${profiles.map((id) => entry(`/find-a-partner/${id}`, locales)).join('\n')}
</urlset>
`;
	return new Response(body, { headers: { 'content-type': 'application/xml; charset=utf-8' } });
};
