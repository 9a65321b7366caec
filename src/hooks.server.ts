import { redirect } from '@sveltejs/kit';
import { sequence, type Handle, type HandleServerError } from '@sveltejs/kit/hooks';
import { building } from '$app/env';
import { localizePath, splitLocale, messages } from '#lib/i18n/index.ts';
import { canonicalSearch, onlyPublicParams } from '#lib/query-params.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import {
	chooseEncoding,
	encoded,
	etagOf,
	isCompressible,
	lookup,
	store,
	type StoredResponse
} from '#lib/server/kernel/render-cache.ts';
import { contentVersion } from '#lib/server/kernel/content-version.ts';
import { appDatabase, closeAppDatabase } from '#lib/server/app/database.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { currentUser, mustSetUpSecondFactor } from '#lib/server/accounts/sessions.ts';
import { config, startupProblem } from '#lib/server/kernel/config.ts';
import { databaseUnavailable } from '#lib/server/kernel/database.ts';
import { retryAfterSeconds } from '#lib/server/kernel/http.ts';
import { appBridge } from '#lib/server/kernel/bridge.ts';

if (!building) {
	// scripts/serve.js says the same before it listens; this covers any other way of starting the build.
	const problem = startupProblem(config());
	if (problem) {
		logger.fatal(problem);
		process.exit(1);
	}
	// Open (and migrate) at start, not on the first visitor's request. A database that is not
	// reachable yet is tried again with growing pauses (requests meanwhile answer 503); any other
	// failure (a broken migration, a wrong password) ends the process with the reason.
	const openAtStart = (pauseMs: number) =>
		appDatabase().then(appBridge().markReady, (error) => {
			if (!databaseUnavailable(error)) {
				logger.fatal({ err: error }, 'Could not open the database');
				process.exit(1);
			}
			logger.warn({ err: error, retryInMs: pauseMs }, 'The database is not reachable yet; trying again');
			setTimeout(() => void openAtStart(Math.min(pauseMs * 2, 30_000)), pauseMs).unref();
		});
	void openAtStart(1000);
	process.once('sveltekit:shutdown', () => void closeAppDatabase());
}

const securityHeaders: [string, string][] = [
	['x-content-type-options', 'nosniff'],
	['referrer-policy', 'strict-origin-when-cross-origin'],
	['x-frame-options', 'DENY'],
	['permissions-policy', 'camera=(), microphone=(), geolocation=()']
];

/** Paths (without the language prefix) that must always run: they report live state. */
const live = /^\/(healthz|readyz|metrics)(\/|$)/;
/** Media files (up to 10 MB, immutable, with their own ETag): streamed as they are, never kept here. */
const mediaFiles = /^\/media\//;

const cacheAndCompress: Handle = async ({ event, resolve }) => {
	const [locale, path] = splitLocale(event.url.pathname);
	event.locals.locale = locale;
	event.locals.user = null;
	const method = event.request.method;
	const request = event.request.headers;
	const cacheable =
		(method === 'GET' || method === 'HEAD') &&
		!request.has('cookie') &&
		!request.has('authorization') &&
		!live.test(path) &&
		// A parameter the key does not know of (?notice=, ?to=, ?utm_source=) may change the page.
		onlyPublicParams(event.url.searchParams);
	const encoding = chooseEncoding(request.get('accept-encoding'));
	// The origin is part of the key: pages carry absolute links built from it (hreflang, feeds),
	// so a request with a forged Host header can only ever be answered to itself.
	const key = event.url.origin + event.url.pathname + canonicalSearch(event.url.searchParams);

	if (cacheable) {
		const hit = lookup(key);
		if (hit) return fromStore(hit, encoding, method === 'HEAD', request.get('if-none-match'));
	}

	const version = contentVersion();
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locale)
	});
	const headers = new Headers(response.headers);
	if (response.status === 503 && !headers.has('retry-after'))
		headers.set('retry-after', String(retryAfterSeconds));
	// A route may choose a stricter policy (the one-time answer page sends no referrer at all).
	for (const [name, value] of securityHeaders) if (!headers.has(name)) headers.set(name, value);
	if (event.url.protocol === 'https:') {
		headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	}

	const type = headers.get('content-type');
	if (
		!response.body ||
		headers.has('content-encoding') ||
		!type ||
		!/^(text|application)\//.test(type) ||
		(mediaFiles.test(event.url.pathname) && response.status === 200)
	) {
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
	const identity = new Uint8Array(await response.arrayBuffer());
	headers.set('vary', 'Accept-Encoding');
	const cacheControl = headers.get('cache-control') ?? '';
	if (!cacheControl)
		headers.set('cache-control', cacheable ? 'public, max-age=0, must-revalidate' : 'no-store');
	const entry: StoredResponse = {
		status: response.status,
		headers: [...headers],
		identity,
		etag: etagOf(identity),
		compressible: isCompressible(type, identity.byteLength),
		version,
		storedAt: Date.now()
	};
	// Only what the response itself allows to be shared is kept.
	const shareable =
		response.status === 200 && !headers.has('set-cookie') && !/no-store|private/.test(cacheControl);
	if (cacheable && shareable && method === 'GET') store(key, entry);
	return fromStore(entry, encoding, method === 'HEAD', request.get('if-none-match'));
};

/**
 * Accounts: better-auth's own endpoints (/api/auth/…: only its mailed links answer) with the
 * client's real address for its rate limits, and the signed-in user for everything else. Pages
 * for a signed-in user are never stored.
 */
const accounts: Handle = async ({ event, resolve }) => {
	if (event.url.pathname.startsWith('/api/auth/')) {
		const { auth } = await appAccounts();
		const headers = new Headers(event.request.headers);
		// Set here, whatever the client sent: the address scripts/serve.js worked out (TRUST_PROXY).
		headers.set('x-client-ip', event.getClientAddress());
		return auth.handler(new Request(event.request, { headers }));
	}
	// Media files are public and immutable: no session to read, and their long cache stays.
	if (event.url.pathname.startsWith('/media/')) return resolve(event);
	if (event.request.headers.has('cookie')) {
		const { auth } = await appAccounts();
		event.locals.user = await currentUser(auth, event.request.headers);
	}
	// Editors and admins reach only their account until they have set up two-step verification:
	// decided here, for every page, form action and API request, with the role just read from the
	// database (a promotion counts from the next request).
	const [locale, path] = splitLocale(event.url.pathname);
	if (mustSetUpSecondFactor(event.locals.user, path)) {
		if (path.startsWith('/api/')) {
			const message = messages(locale).accounts.twoFactor.required;
			return Response.json(
				{ error: { message, field: null } },
				{ status: 403, headers: { 'cache-control': 'no-store' } }
			);
		}
		// Thrown, so that SvelteKit answers a form action or a data request in the form it expects.
		redirect(303, `${localizePath(locale, '/account/two-factor')}?required`);
	}
	const response = await resolve(event);
	if (event.locals.user) {
		const headers = new Headers(response.headers);
		headers.set('cache-control', 'no-store');
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
	return response;
};

export const handle = sequence(cacheAndCompress, accounts);

function fromStore(
	entry: StoredResponse,
	encoding: 'br' | 'gzip' | 'identity',
	head: boolean,
	ifNoneMatch: string | null
): Response {
	const headers = new Headers(entry.headers);
	if (entry.status === 200) {
		headers.set('etag', entry.etag);
		// A revisit on a slow network costs a few hundred bytes when nothing changed.
		if (ifNoneMatch && ifNoneMatch.split(/\s*,\s*/).includes(entry.etag)) {
			headers.delete('content-length');
			return new Response(null, { status: 304, headers });
		}
	}
	let body = entry.identity;
	if (encoding !== 'identity' && entry.compressible) {
		body = encoded(entry, encoding);
		headers.set('content-encoding', encoding);
	}
	headers.set('content-length', String(body.byteLength));
	return new Response(head ? null : (body as Uint8Array<ArrayBuffer>), { status: entry.status, headers });
}

export const handleError: HandleServerError = ({ kind, error, event }) => {
	if (kind !== 'unknown') return;
	// The database is gone or silent: say so and ask to come back (Retry-After is set below).
	if (databaseUnavailable(error)) {
		logger.warn({ err: error, route: event.route.id }, 'The database is unavailable');
		return { status: 503, message: messages(event.locals.locale ?? 'sv').errors.unavailable };
	}
	const id = crypto.randomUUID().slice(0, 8);
	// The route, not the address: addresses can carry one-time tokens, which never reach the log.
	logger.error({ err: error, id, route: event.route.id }, 'Unexpected error');
	return { status: 500, message: messages(event.locals.locale ?? 'sv').errors.server, id };
};
