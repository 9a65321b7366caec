import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cachedAnswer, cacheKey, finishResponse, isCacheable, requestUrl } from './cached-answer.ts';
import { contentChanged, contentVersion } from './content-version.ts';

// The module's cache is shared by the test files of a worker: every test uses an origin of its own.
let n = 0;
const origin = () => `http://cached-answer-${++n}.test:3000`;
const page = `<!doctype html><html lang="sv"><body>${'<p>Medborgardialog i kommunen.</p>'.repeat(80)}</body></html>`;

/** A page as SvelteKit renders it, passed through the handle hook's ending, as the first visitor gets it. */
async function render(base: string, target: string, request: Record<string, string> = {}) {
	const url = requestUrl(base, target)!;
	const rendered = new Response(page, {
		status: 200,
		headers: {
			'content-type': 'text/html',
			'content-security-policy': "default-src 'self'; script-src 'self'"
		}
	});
	const method = request[':method'] ?? 'GET';
	return finishResponse(
		{
			method,
			url,
			cacheable: isCacheable(method, url, 'cookie' in request, 'authorization' in request),
			key: cacheKey(url),
			version: contentVersion(),
			acceptEncoding: request['accept-encoding'] ?? null,
			ifNoneMatch: request['if-none-match'] ?? null
		},
		rendered
	);
}

const text = (body: Uint8Array | null, encoding?: string) =>
	Buffer.from(
		encoding === 'br' ? brotliDecompressSync(body!) : encoding === 'gzip' ? gunzipSync(body!) : body!
	).toString();

describe('the cached answer outside SvelteKit', () => {
	it('answers a revisit with the first answer’s status, headers and bytes, security headers included', async () => {
		const base = origin();
		const first = await render(base, '/inspiration?theme=participation', { 'accept-encoding': 'br' });
		const again = cachedAnswer('GET', base, '/inspiration?theme=participation', {
			'accept-encoding': 'gzip, deflate, br'
		});
		expect(again).toBeDefined();
		expect(again!.status).toBe(first.status);
		expect(Object.fromEntries(again!.headers)).toEqual(Object.fromEntries(first.headers));
		expect(Buffer.from(again!.body!)).toEqual(Buffer.from(await first.arrayBuffer()));
		const headers = new Map(again!.headers);
		expect(headers.get('x-frame-options')).toBe('DENY');
		expect(headers.get('x-content-type-options')).toBe('nosniff');
		expect(headers.get('content-security-policy')).toContain("default-src 'self'");
		expect(headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
		expect(text(again!.body, 'br')).toBe(page);
	});

	it('gives each client the encoding it accepts, 304 for its copy, and no body to HEAD', async () => {
		const base = origin();
		await render(base, '/inspiration');
		const gzip = cachedAnswer('GET', base, '/inspiration', { 'accept-encoding': 'gzip' })!;
		expect(new Map(gzip.headers).get('content-encoding')).toBe('gzip');
		expect(text(gzip.body, 'gzip')).toBe(page);
		const plain = cachedAnswer('GET', base, '/inspiration', {})!;
		expect(new Map(plain.headers).has('content-encoding')).toBe(false);
		expect(text(plain.body)).toBe(page);

		const etag = new Map(plain.headers).get('etag')!;
		const revisit = cachedAnswer('GET', base, '/inspiration', { 'if-none-match': `"other", ${etag}` })!;
		expect(revisit.status).toBe(304);
		expect(revisit.body).toBeNull();
		expect(new Map(revisit.headers).has('content-length')).toBe(false);

		const head = cachedAnswer('HEAD', base, '/inspiration', { 'accept-encoding': 'br' })!;
		expect(head.status).toBe(200);
		expect(head.body).toBeNull();
		const br = cachedAnswer('GET', base, '/inspiration', { 'accept-encoding': 'br' })!;
		expect(new Map(head.headers).get('content-length')).toBe(String(br.body!.byteLength));
	});

	it('keys on the public parameters in a stable order and on the origin', async () => {
		const base = origin();
		await render(base, '/inspiration?theme=participation&page=2');
		expect(cachedAnswer('GET', base, '/inspiration?page=2&theme=participation', {})?.status).toBe(200);
		// Another parameter may change the page (?notice=, ?to=): the app answers it.
		expect(
			cachedAnswer('GET', base, '/inspiration?theme=participation&page=2&notice=saved', {})
		).toBeUndefined();
		// A forged Host header never reads another origin's pages.
		expect(cachedAnswer('GET', origin(), '/inspiration?theme=participation&page=2', {})).toBeUndefined();
	});

	it('leaves signed-in visitors, writes, live paths and data requests to the app', async () => {
		const base = origin();
		await render(base, '/search?q=medborgardialog');
		await render(base, '/en/healthz');
		expect(cachedAnswer('GET', base, '/search?q=medborgardialog', {})?.status).toBe(200);
		expect(cachedAnswer('GET', base, '/search?q=medborgardialog', { cookie: 'session=1' })).toBeUndefined();
		expect(
			cachedAnswer('GET', base, '/search?q=medborgardialog', { authorization: 'Bearer x' })
		).toBeUndefined();
		expect(cachedAnswer('POST', base, '/search?q=medborgardialog', {})).toBeUndefined();
		expect(cachedAnswer('GET', base, '/en/healthz', {})).toBeUndefined();
		// SvelteKit strips /__data.json from event.url: the raw address keeps it apart from the page.
		expect(cachedAnswer('GET', base, '/search/__data.json?q=medborgardialog', {})).toBeUndefined();
		expect(cachedAnswer('GET', base, 'http://elsewhere/search', {})).toBeUndefined();
	});

	it('does not keep what a signed-in visitor or a HEAD got, and forgets pages when content changes', async () => {
		const base = origin();
		await render(base, '/partnerships', { cookie: 'session=1' });
		await render(base, '/goals', { ':method': 'HEAD' });
		expect(cachedAnswer('GET', base, '/partnerships', {})).toBeUndefined();
		expect(cachedAnswer('GET', base, '/goals', {})).toBeUndefined();
		await render(base, '/goals');
		expect(cachedAnswer('GET', base, '/goals', {})?.status).toBe(200);
		contentChanged();
		expect(cachedAnswer('GET', base, '/goals', {})).toBeUndefined();
	});
});
