import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url }) =>
	new Response(
		`User-agent: *\nDisallow: /search\nDisallow: /en/search\nDisallow: /api/\n\nSitemap: ${url.origin}/sitemap.xml\n`,
		{
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		}
	);
