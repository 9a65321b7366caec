import { redirect } from '@sveltejs/kit';
import { sequence, type Handle, type HandleServerError } from '@sveltejs/kit/hooks';
import { building } from '$app/env';
import { localizePath, splitLocale, messages } from '#lib/i18n/index.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import { chooseEncoding, lookup } from '#lib/server/kernel/render-cache.ts';
import {
	answerFrom,
	cacheKey,
	cachedAnswer,
	finishResponse,
	isCacheable,
	toResponse
} from '#lib/server/kernel/cached-answer.ts';
import { contentVersion } from '#lib/server/kernel/content-version.ts';
import { appDatabase, closeAppDatabase, whileAnswering } from '#lib/server/app/database.ts';
import { warmUp } from '#lib/server/app/startup.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { currentUser, mustSetUpSecondFactor } from '#lib/server/accounts/sessions.ts';
import { config, startupProblem } from '#lib/server/kernel/config.ts';
import { databaseUnavailable } from '#lib/server/kernel/database.ts';
import { appBridge } from '#lib/server/kernel/bridge.ts';
import { registerStats } from '#lib/server/app/stats.ts';
import { isCrossSiteForm } from '#lib/server/kernel/cross-site.ts';

if (!building) {
	// scripts/serve.js says the same before it listens; this covers any other way of starting the build.
	const problem = startupProblem(config());
	if (problem) {
		logger.fatal(problem);
		process.exit(1);
	}
	// Open (and migrate) at start, not on the first visitor's request. A database that is not
	// reachable yet is tried again with growing pauses (scripts/serve.js listens only once this
	// marks the app ready; started any other way, requests meanwhile answer 503); any other failure
	// (a broken migration, a wrong password) ends the process with the reason.
	const openAtStart = (pauseMs: number) =>
		appDatabase().then(
			async (handle) => {
				await warmUp(handle.db);
				appBridge().markReady();
			},
			(error) => {
				if (!databaseUnavailable(error)) {
					logger.fatal({ err: error }, 'Could not open the database');
					process.exit(1);
				}
				logger.warn({ err: error, retryInMs: pauseMs }, 'The database is not reachable yet; trying again');
				setTimeout(() => void openAtStart(Math.min(pauseMs * 2, 30_000)), pauseMs).unref();
			}
		);
	void openAtStart(1000);
	// The requests are finished by then; a failure to close cleanly is logged, not left unhandled
	// (an unhandled rejection would end the stop with exit code 1).
	process.once(
		'sveltekit:shutdown',
		() =>
			void closeAppDatabase().catch((error) =>
				logger.error({ err: error }, 'The database did not close cleanly on shutdown')
			)
	);
	registerStats();
}

// Cached anonymous pages are usually answered before SvelteKit by scripts/serve.js through this.
if (!building) appBridge().cachedAnswer = cachedAnswer;

const cacheAndCompress: Handle = async ({ event, resolve }) => {
	const [locale] = splitLocale(event.url.pathname);
	event.locals.locale = locale;
	event.locals.user = null;
	const method = event.request.method;
	const request = event.request.headers;
	// The address as sent (event.url has /__data.json and kit's parameters taken off).
	const url = new URL(event.request.url);
	const cacheable = isCacheable(method, url, request.has('cookie'), request.has('authorization'));
	const key = cacheKey(url);
	const acceptEncoding = request.get('accept-encoding');
	const ifNoneMatch = request.get('if-none-match');

	if (cacheable) {
		const hit = lookup(key);
		if (hit)
			return toResponse(answerFrom(hit, chooseEncoding(acceptEncoding), method === 'HEAD', ifNoneMatch));
	}

	const version = contentVersion();
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locale)
	});
	return finishResponse({ method, url, cacheable, key, version, acceptEncoding, ifNoneMatch }, response);
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
	// Media files: no session read here; the media route reads it itself, only for a proposal's photo
	// not everyone may see.
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

/**
 * Routes a form may reach from outside the site with no Origin: a mail program's one-click
 * unsubscribe (RFC 8058), authorised by the signed token in its address alone, and an Open311
 * client creating a report, authorised by its API key alone (no cookie counts there).
 */
const openToOtherSites = new Set([
	'/dialogue/unsubscribe/[token]',
	'/open311/v2/requests.[format=open311]',
	'/sms/twilio'
]);

/** Another site's form submission is refused, on every route but those above (vite.config.ts). */
const crossSite: Handle = async ({ event, resolve }) => {
	if (
		isCrossSiteForm(event.request, event.url.origin) &&
		!(event.route.id !== null && openToOtherSites.has(event.route.id))
	) {
		// A security event (ASVS 16.3.3): the route, not the address (it may hold a token).
		logger.warn(
			{
				event: 'security.cross-site-form',
				route: event.route.id,
				origin: event.request.headers.get('origin')
			},
			'Refused a form sent from another site'
		);
		const message = messages(event.locals.locale).errors.crossSite;
		const headers = { 'cache-control': 'no-store' };
		return event.request.headers.get('accept') === 'application/json'
			? Response.json({ error: { message, field: null } }, { status: 403, headers })
			: new Response(message, {
					status: 403,
					headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }
				});
	}
	return resolve(event);
};

/**
 * A form addressed to `?/default` names no action of ours (SvelteKit reserves the name and would
 * throw, a 500): it gets the 404 any unknown action gets.
 */
const reservedAction: Handle = async ({ event, resolve }) => {
	if (
		event.request.method === 'POST' &&
		[...event.url.searchParams.keys()].find((k) => k.startsWith('/')) === '/default'
	) {
		return new Response(messages(event.locals.locale ?? 'sv').errors.notFound, {
			status: 404,
			headers: { 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};

/**
 * An operator's tile server (MAP_TILES_URL) is the one outside address the report maps load
 * images from: its origin joins img-src on those pages only (never kept in the render cache).
 */
const mapTiles: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const tiles = config().mapTiles;
	const policy = response.headers.get('content-security-policy');
	if (!tiles || !policy || !/^\/(en\/)?dialogue\/[^/]+\/reports(\/new)?$/.test(event.url.pathname))
		return response;
	const headers = new Headers(response.headers);
	headers.set(
		'content-security-policy',
		policy.replace(/img-src ([^;]*)/, `img-src $1 ${new URL(tiles.url).origin}`)
	);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

/** Every answer is one the database waits for on shutdown (app/database.ts says why). */
const underWay: Handle = ({ event, resolve }) => whileAnswering(Promise.resolve(resolve(event)));

export const handle = sequence(underWay, mapTiles, cacheAndCompress, crossSite, accounts, reservedAction);

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
