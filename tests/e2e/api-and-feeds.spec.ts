import { expect, test } from 'vitest';
import { baseUrl } from './browser.ts';

const get = (path: string, headers: Record<string, string> = {}) => fetch(baseUrl() + path, { headers });

test('the articles API lists with the page filters, in the asked language', async () => {
	const res = await get('/api/v1/articles?lang=en&sdg=3.3&per_page=5');
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toMatch(/application\/json/);
	const body = await res.json();
	expect(body).toMatchObject({ total: 1, page: 1, perPage: 5 });
	expect(body.items[0]).toMatchObject({
		slug: 'medborgardialog-som-raddar-liv',
		title: 'Citizen dialogue that saves lives',
		kind: 'case-story',
		themes: expect.arrayContaining(['participation']),
		goals: expect.arrayContaining([3, 16]),
		targets: expect.arrayContaining(['3.3', '16.7']),
		countries: expect.arrayContaining(['SE', 'ID']),
		url: `${baseUrl()}/en/inspiration/medborgardialog-som-raddar-liv`
	});
	expect(Object.keys(body.items[0]).sort()).toEqual(
		[
			'countries',
			'goals',
			'kind',
			'publishedAt',
			'slug',
			'targets',
			'teaser',
			'themes',
			'title',
			'url'
		].sort()
	);
});

test('one article and the goals by API; errors name the field', async () => {
	const article = await (await get('/api/v1/articles/tidsresemetodiken?lang=sv')).json();
	expect(article.lang).toBe('sv');
	expect(article.body).toContain('<p>');
	const goals = await (await get('/api/v1/goals?lang=en')).json();
	expect(goals.items).toHaveLength(17);
	const goal = await (await get('/api/v1/goals/16')).json();
	expect(goal.targets).toHaveLength(12);

	const missing = await get('/api/v1/articles/nope');
	expect(missing.status).toBe(404);
	expect((await missing.json()).error.message).toBe('Sidan finns inte.');
	const bad = await get('/api/v1/articles?per_page=500&lang=en');
	expect(bad.status).toBe(400);
	expect((await bad.json()).error).toMatchObject({
		field: 'per_page',
		message: 'Items per page: Items per page must be a whole number from 1 to 100.'
	});
	const badLang = await get('/api/v1/articles?lang=xx');
	expect((await badLang.json()).error.field).toBe('lang');
	expect((await get('/api/v1/goals/99')).status).toBe(404);
});

test('feeds per language and theme, the sitemap, robots.txt and the health check', async () => {
	const sv = await (await get('/feed.xml')).text();
	expect(sv).toContain('xml:lang="sv"');
	// The eight demo articles at least; journeys running beside this one may publish more.
	expect(sv.match(/<entry>/g)!.length).toBeGreaterThanOrEqual(8);
	const en = await get('/en/feed.xml?theme=accountability');
	expect(en.headers.get('content-type')).toMatch(/application\/atom\+xml/);
	const enText = await en.text();
	expect(enText).toContain('<title>Accountability – Partnerships for local democracy</title>');
	expect(enText).toContain('/en/inspiration/ansvarsutkravande-borjar-i-den-lokala-politiken');
	expect((await get('/feed.xml?theme=nope')).status).toBe(400);

	const sitemap = await (await get('/sitemap.xml')).text();
	expect(sitemap).toContain(`<loc>${baseUrl()}/en/inspiration/tidsresemetodiken</loc>`);
	expect(sitemap).toContain(`hreflang="sv" href="${baseUrl()}/goals/16"`);
	expect(sitemap).toContain(`<loc>${baseUrl()}/partnerships/ale-ghanzi</loc>`);
	expect(sitemap).toContain(`<loc>${baseUrl()}/en/organizations/horby-kommun</loc>`);
	// The footer's site map is a page for people, in each language; the XML one is linked from it.
	const people = await (await get('/sitemap')).text();
	expect(people).toContain('<a href="/sitemap">Webbplatskarta</a>');
	for (const link of [
		'/goals/16',
		'/inspiration?theme=participation',
		'/partnerships',
		'/dialogue',
		'/sitemap.xml'
	])
		expect(people).toContain(`href="${link}"`);
	expect(people).toContain('>Mål 16: Fredliga och inkluderande samhällen</a>');
	const english = await (await get('/en/sitemap')).text();
	expect(english).toContain('<a href="/en/sitemap">Site map</a>');
	expect(english).toContain('href="/en/goals/16"');
	// A partnership's document says its type and size, in the page's language.
	expect(await (await get('/partnerships/ale-ghanzi')).text()).toMatch(/\(PDF, \d+(,\d)?\s(kB|MB)\)/);
	// Partnerships, organizations and find-a-partner profiles: listed, and each kind's pages open.
	for (const kind of ['partnerships', 'organizations', 'find-a-partner']) {
		const listed = [...sitemap.matchAll(new RegExp(`<loc>([^<]*/${kind}/[^<]+)</loc>`, 'g'))].map(
			(m) => m[1]!
		);
		expect(listed.length, kind).toBeGreaterThan(0);
		for (const loc of listed.slice(0, 3)) expect((await fetch(loc)).status, loc).toBe(200);
	}
	expect(await (await get('/robots.txt')).text()).toContain(`Sitemap: ${baseUrl()}/sitemap.xml`);
	const health = await get('/healthz');
	expect(health.status).toBe(200);
	expect(await health.json()).toEqual({ status: 'ok' });
	const ready = await get('/readyz');
	expect(ready.status).toBe(200);
	expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite' });
});

test('pages are sent compressed, with security headers, and the cache never changes what is shown', async () => {
	for (const path of ['/inspiration', '/inspiration?theme=participation', '/api/v1/goals']) {
		const res = await get(path, { 'accept-encoding': 'br' });
		expect(res.headers.get('content-encoding'), path).toBe('br');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		const gz = await get(path, { 'accept-encoding': 'gzip' });
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		expect(await gz.text()).toBe(await res.text());
	}
	const page = await get('/inspiration');
	const csp = page.headers.get('content-security-policy') ?? '';
	for (const d of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"])
		expect(csp).toContain(d);
	expect(csp).not.toContain('unsafe-inline');
});

test('a revisit with the validator of the page gets 304 without a body', async () => {
	const first = await get('/en/goals', { 'accept-encoding': 'br' });
	const etag = first.headers.get('etag');
	expect(etag).toMatch(/^W\/"/);
	const again = await get('/en/goals', { 'if-none-match': etag!, 'accept-encoding': 'br' });
	expect(again.status).toBe(304);
	expect(await again.text()).toBe('');
	// Another page (or another language) has another validator.
	const sv = await get('/goals', { 'if-none-match': etag! });
	expect(sv.status).toBe(200);
});

test('a forged Host header cannot put its links into what other visitors get', async () => {
	const { request } = await import('node:http');
	const forged = await new Promise<string>((resolve, reject) => {
		const url = new URL(`${baseUrl()}/sitemap.xml`);
		request(
			{ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example' } },
			(res) => {
				let body = '';
				res.on('data', (c) => (body += c));
				res.on('end', () => resolve(body));
			}
		)
			.on('error', reject)
			.end();
	});
	// The server runs with ORIGIN set, as in production: links come from it, not from the header.
	expect(forged).not.toContain('evil.example');
	expect(forged).toContain(`<loc>${baseUrl()}/</loc>`);
	for (const path of ['/sitemap.xml', '/inspiration', '/feed.xml']) {
		expect(await (await get(path)).text(), path).not.toContain('evil.example');
	}
});

test('live answers are never cached, and a refused encoding is not used', async () => {
	const health = await get('/en/healthz');
	expect(health.headers.get('cache-control')).toBe('no-store');
	expect((await get('/en/readyz')).headers.get('cache-control')).toBe('no-store');
	const refused = await get('/inspiration', { 'accept-encoding': 'br;q=0, gzip' });
	expect(refused.headers.get('content-encoding')).toBe('gzip');
	const none = await get('/inspiration', { 'accept-encoding': 'identity' });
	expect(none.headers.get('content-encoding')).toBeNull();
	expect(await none.text()).toContain('<h1>Inspiration</h1>');
});

test('a page number past the end is a 404, not a page that contradicts itself', async () => {
	expect((await get('/inspiration?page=2')).status).toBe(404);
	expect((await get('/search?q=medborgardialog&page=9')).status).toBe(404);
	expect((await get('/inspiration?page=1')).status).toBe(200);
});
