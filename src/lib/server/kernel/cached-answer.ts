import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { constants as zlibConstants, createBrotliCompress, createGzip } from 'node:zlib';
import type { IncomingHttpHeaders } from 'node:http';
import { splitLocale } from '#lib/i18n/locales.ts';
import { canonicalSearch, onlyPublicParams } from '#lib/query-params.ts';
import type { CachedAnswer } from './bridge.ts';
import { retryAfterSeconds } from './http.ts';
import { streamedHeader } from './streamed.ts';
import {
	chooseEncoding,
	encoded,
	encodedAside,
	etagOf,
	isCompressible,
	lookup,
	staleEntry,
	store,
	type StoredResponse
} from './render-cache.ts';

/**
 * The render cache's rules in one place, for both ways in: the app's handle hook (a Request inside
 * SvelteKit) and scripts/serve.js's fast path (Node's raw request, through `appBridge()`), so that
 * a page stored by one is found by the other with the same key and answered with the same headers.
 */

/**
 * Paths (without the language prefix) that must always run: they report live state. Dialogue
 * pages count supports and comments that change by the second without raising the content
 * revision (that would empty every page's cache on each support): they are fast uncached instead.
 */
const live = /^\/(healthz|readyz|metrics|dialogue)(\/|$)|^\/api\/v1\/(dialogues|proposals|comments)(\/|\.|$)/;
/** Media files (up to 10 MB, immutable, with their own ETag): streamed as they are, never kept here. */
const mediaFiles = /^\/media\//;

export const securityHeaders: [string, string][] = [
	['x-content-type-options', 'nosniff'],
	['referrer-policy', 'strict-origin-when-cross-origin'],
	['x-frame-options', 'DENY'],
	['permissions-policy', 'camera=(), microphone=(), geolocation=()']
];

/**
 * The request as the client sent it. SvelteKit's event.url has `/__data.json` and its own
 * parameters taken off, so keying on it would let a data request read or fill the page's entry.
 */
export function requestUrl(origin: string, target: string): URL | undefined {
	// An absolute-form or empty target is left to the app (which answers 400 or routes it itself).
	if (!target.startsWith('/')) return undefined;
	try {
		return new URL(origin + target);
	} catch {
		return undefined;
	}
}

/**
 * Whether a request may be answered from, and its answer kept in, the shared cache: an anonymous
 * GET or HEAD of a page that does not report live state, with only the parameters pages use (an
 * unknown one, such as ?notice= or ?to=, may change the page).
 */
export function isCacheable(method: string, url: URL, cookie: boolean, authorization: boolean): boolean {
	return (
		(method === 'GET' || method === 'HEAD') &&
		!cookie &&
		!authorization &&
		!live.test(splitLocale(url.pathname)[1]) &&
		onlyPublicParams(url.searchParams)
	);
}

/**
 * The origin is part of the key: pages carry absolute links built from it (hreflang, feeds), so a
 * request with a forged Host header can only ever be answered to itself.
 */
export function cacheKey(url: URL): string {
	return url.origin + url.pathname + canonicalSearch(url.searchParams);
}

const unchanged = (entry: StoredResponse, ifNoneMatch: string | null | undefined) =>
	entry.status === 200 && !!ifNoneMatch && ifNoneMatch.split(/\s*,\s*/).includes(entry.etag);

/** A stored page as sent: the asked encoding, 304 for a matching If-None-Match, no body for HEAD. */
export function answerFrom(
	entry: StoredResponse,
	encoding: 'br' | 'gzip' | 'identity',
	head: boolean,
	ifNoneMatch: string | null | undefined
): CachedAnswer {
	const headers = entry.headers.filter(([name]) => name !== 'etag' && name !== 'content-length');
	if (entry.status === 200) {
		headers.push(['etag', entry.etag]);
		// A revisit on a slow network costs a few hundred bytes when nothing changed.
		if (unchanged(entry, ifNoneMatch)) return { status: 304, headers, body: null };
	}
	let body = entry.identity;
	if (encoding !== 'identity' && entry.compressible) {
		body = encoded(entry, encoding);
		headers.push(['content-encoding', encoding]);
	}
	headers.push(['content-length', String(body.byteLength)]);
	return { status: entry.status, headers, body: head ? null : body };
}

/** `appBridge().cachedAnswer`: a stored page for Node's raw request, or undefined (ask the app). */
export function cachedAnswer(
	method: string,
	origin: string,
	target: string,
	headers: IncomingHttpHeaders
): CachedAnswer | undefined {
	if (method !== 'GET' && method !== 'HEAD') return undefined;
	if (headers.cookie !== undefined || headers.authorization !== undefined) return undefined;
	const url = requestUrl(origin, target);
	if (!url || !isCacheable(method, url, false, false)) return undefined;
	const hit = lookup(cacheKey(url));
	if (!hit) return undefined;
	return answerFrom(
		hit,
		chooseEncoding(headers['accept-encoding'] ?? null),
		method === 'HEAD',
		headers['if-none-match']
	);
}

/** What the handle hook knows of a request when the app's response comes back. */
export interface Rendered {
	method: string;
	url: URL;
	cacheable: boolean;
	key: string;
	/** The content version when rendering began: a write meanwhile makes the entry stale at once. */
	version: string;
	acceptEncoding: string | null;
	ifNoneMatch: string | null;
}

/**
 * The app's response with the security headers, compressed, and kept when it may be shared. The
 * first answer is made from the stored entry, as every later one is, so both carry the same headers.
 */
export async function finishResponse(request: Rendered, response: Response): Promise<Response> {
	// The page could not be rendered (the database away): the last copy of the current content,
	// however old, rather than the error page.
	const old = request.cacheable && response.status === 503 ? staleEntry(request.key) : undefined;
	if (old) {
		await response.body?.cancel();
		return toResponse(
			answerFrom(old, chooseEncoding(request.acceptEncoding), request.method === 'HEAD', request.ifNoneMatch)
		);
	}
	const headers = new Headers(response.headers);
	if (response.status === 503 && !headers.has('retry-after'))
		headers.set('retry-after', String(retryAfterSeconds));
	// A route may choose a stricter policy (the one-time answer page sends no referrer at all).
	for (const [name, value] of securityHeaders) if (!headers.has(name)) headers.set(name, value);
	if (request.url.protocol === 'https:') {
		headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	}

	const type = headers.get('content-type');
	if (headers.has(streamedHeader) && response.body) {
		// A download written as it is read: compressed on the way, never held whole.
		headers.delete(streamedHeader);
		headers.set('vary', 'Accept-Encoding');
		const encoding = chooseEncoding(request.acceptEncoding);
		if (request.method === 'HEAD') {
			await response.body.cancel();
			return new Response(null, { status: response.status, headers });
		}
		if (encoding === 'identity') return new Response(response.body, { status: response.status, headers });
		headers.set('content-encoding', encoding);
		headers.delete('content-length');
		const compress =
			encoding === 'br'
				? createBrotliCompress({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } })
				: createGzip({ level: 6 });
		// A failure half-way (the database gone) ends the compressed stream with it: the client sees
		// a cut download, never one that hangs.
		const source = Readable.fromWeb(response.body as NodeReadableStream);
		source.on('error', (e) => compress.destroy(e));
		const body = Readable.toWeb(source.pipe(compress));
		return new Response(body as ReadableStream, { status: response.status, headers });
	}
	if (
		!response.body ||
		headers.has('content-encoding') ||
		!type ||
		!/^(text|application)\//.test(type) ||
		(mediaFiles.test(request.url.pathname) && response.status === 200)
	) {
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
	const identity = new Uint8Array(await response.arrayBuffer());
	headers.set('vary', 'Accept-Encoding');
	const cacheControl = headers.get('cache-control') ?? '';
	if (!cacheControl)
		headers.set('cache-control', request.cacheable ? 'public, max-age=0, must-revalidate' : 'no-store');
	const entry: StoredResponse = {
		status: response.status,
		headers: [...headers],
		identity,
		etag: etagOf(identity),
		compressible: isCompressible(type, identity.byteLength),
		version: request.version,
		storedAt: Date.now()
	};
	// Only what the response itself allows to be shared is kept.
	const shareable =
		response.status === 200 && !headers.has('set-cookie') && !/no-store|private/.test(cacheControl);
	const encoding = chooseEncoding(request.acceptEncoding);
	if (encoding !== 'identity' && entry.compressible && !unchanged(entry, request.ifNoneMatch))
		await encodedAside(entry, encoding);
	if (request.cacheable && shareable && request.method === 'GET') store(request.key, entry);
	return toResponse(answerFrom(entry, encoding, request.method === 'HEAD', request.ifNoneMatch));
}

export function toResponse(answer: CachedAnswer): Response {
	return new Response(answer.body as Uint8Array<ArrayBuffer> | null, {
		status: answer.status,
		headers: answer.headers
	});
}
