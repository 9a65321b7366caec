import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { baseUrl, sessionOf } from './browser.ts';
import { people, type PreparedPerson } from './people.ts';
import { signInOverHttp } from './sessions.ts';

type Who = 'anonymous' | 'reader' | 'author' | 'editor' | 'admin';
/** allow: the page or answer; deny: 403; sign-in: sent to sign in. */
type Outcome = 'allow' | 'deny' | 'sign-in' | 'not-found';

const everyone = {
	anonymous: 'allow',
	reader: 'allow',
	author: 'allow',
	editor: 'allow',
	admin: 'allow'
} as const;
const signedIn = {
	anonymous: 'sign-in',
	reader: 'allow',
	author: 'allow',
	editor: 'allow',
	admin: 'allow'
} as const;
const staff = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'allow',
	editor: 'allow',
	admin: 'allow'
} as const;
const editors = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'deny',
	editor: 'allow',
	admin: 'allow'
} as const;
const admins = {
	anonymous: 'sign-in',
	reader: 'deny',
	author: 'deny',
	editor: 'deny',
	admin: 'allow'
} as const;

/**
 * Every route under /admin, /account and /api, with who may use it. A route that is added
 * without a line here fails the first test: access is decided on purpose, not by accident.
 */
const table: Record<string, { path: string; expect: Record<Who, Outcome> }> = {
	'/admin': { path: '/admin', expect: staff },
	'/admin/users': { path: '/admin/users', expect: admins },
	'/admin/articles': { path: '/admin/articles', expect: staff },
	'/admin/articles/new': { path: '/admin/articles/new', expect: staff },
	'/admin/articles/[id=id]': { path: '/admin/articles/1', expect: staff },
	'/admin/articles/[id=id]/preview': { path: '/en/admin/articles/1/preview', expect: staff },
	'/admin/articles/[id=id]/revisions': { path: '/admin/articles/1/revisions', expect: staff },
	'/admin/media': { path: '/admin/media', expect: staff },
	'/admin/topics': { path: '/admin/topics', expect: editors },
	'/admin/organizations': { path: '/admin/organizations', expect: editors },
	'/admin/partner-search': { path: '/admin/partner-search', expect: editors },
	'/find-a-partner': { path: '/find-a-partner', expect: everyone },
	'/find-a-partner/[id=id]': { path: '/find-a-partner/1', expect: everyone },
	// Staff of an organization edit its profile; anyone signed in sees what they may do there.
	'/find-a-partner/profile': { path: '/find-a-partner/profile', expect: signedIn },
	// The token is the credential: an unknown one is a 404 for everyone.
	'/find-a-partner/answer/[token]': {
		path: '/find-a-partner/answer/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
		expect: {
			anonymous: 'not-found',
			reader: 'not-found',
			author: 'not-found',
			editor: 'not-found',
			admin: 'not-found'
		}
	},
	'/partnerships': { path: '/partnerships', expect: everyone },
	'/partnerships/new': { path: '/partnerships/new', expect: editors },
	'/partnerships/[slug=slug]': { path: '/partnerships/ale-ghanzi', expect: everyone },
	// Coordinators of this partnership may too (the partnership journey covers them).
	'/partnerships/[slug=slug]/edit': { path: '/partnerships/horby-peja/edit', expect: editors },
	'/organizations/[slug=slug]': { path: '/organizations/ale-kommun', expect: everyone },
	'/api/v1/partnerships': { path: '/api/v1/partnerships?format=csv', expect: everyone },
	'/api/v1/partnerships/[slug=slug]': { path: '/api/v1/partnerships/ale-ghanzi', expect: everyone },
	'/api/v1/organizations': { path: '/api/v1/organizations?county=14', expect: everyone },
	'/admin/audit': { path: '/admin/audit', expect: admins },
	// The journeys' server sends over SMTP, so the outbox page is a 404 even for admins there.
	'/admin/outbox': {
		path: '/admin/outbox',
		expect: { anonymous: 'sign-in', reader: 'deny', author: 'deny', editor: 'deny', admin: 'not-found' }
	},
	'/account': { path: '/account', expect: signedIn },
	'/account/two-factor': { path: '/account/two-factor', expect: signedIn },
	'/account/data': { path: '/account/data', expect: signedIn },
	// Public files; an unknown key is a 404 for everyone (the media journey serves real ones).
	'/media/[key]/[file]': {
		path: '/media/00000000000000000000000000000000/320.webp',
		expect: {
			anonymous: 'not-found',
			reader: 'not-found',
			author: 'not-found',
			editor: 'not-found',
			admin: 'not-found'
		}
	},
	'/api/v1/articles': { path: '/api/v1/articles', expect: everyone },
	'/api/v1/articles/[slug=slug]': { path: '/api/v1/articles/tidsresemetodiken', expect: everyone },
	'/api/v1/goals': { path: '/api/v1/goals', expect: everyone },
	'/api/v1/goals/[n]': { path: '/api/v1/goals/16', expect: everyone },
	'/api/v1/openapi.json': { path: '/api/v1/openapi.json', expect: everyone }
};

/** Route ids of every page and endpoint file under the given folders of src/routes. */
function routeIds(...roots: string[]): string[] {
	const base = path.resolve(import.meta.dirname, '../../src/routes');
	const ids = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir)) {
			const full = path.join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (/^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(entry)) {
				ids.add('/' + path.relative(base, dir).split(path.sep).join('/'));
			}
		}
	};
	for (const root of roots) walk(path.join(base, root));
	return [...ids].sort();
}

const sessionFor: Record<Exclude<Who, 'anonymous'>, PreparedPerson> = {
	reader: 'tableReader',
	author: 'tableAuthor',
	editor: 'tableEditor',
	admin: 'tableAdmin'
};
const cookieOf = (who: Who) => (who === 'anonymous' ? '' : sessionOf(sessionFor[who]).cookie);

/** What an answer means for access: 403 deny, 401 or a redirect to sign in, 404, else allowed. */
function outcomeOf(res: Response, posted = false): Outcome {
	const location = res.headers.get('location') ?? '';
	if (res.status === 403) return 'deny';
	if (res.status === 404) return 'not-found';
	if (res.status === 401 || (res.status === 303 && /\/sign-in(\?|$)/.test(location))) return 'sign-in';
	// A form sent back with messages (400), a page (200) or a redirect after the work (303).
	if ([200, 303].includes(res.status) || (posted && res.status === 400)) return 'allow';
	return `unexpected ${res.status} ${location}` as Outcome;
}

test('every route under /admin, /account, /api, /media, /partnerships and /organizations has a line in the permission table', () => {
	expect(
		routeIds('admin', 'account', 'api', 'media', 'partnerships', 'organizations', 'find-a-partner')
	).toEqual(Object.keys(table).sort());
});

describe.each(Object.entries(table))('%s', (_id, route) => {
	test.each(Object.keys(route.expect) as Who[])('as %s', async (who) => {
		const res = await fetch(baseUrl() + route.path, {
			redirect: 'manual',
			headers: { cookie: cookieOf(who), accept: 'text/html' }
		});
		expect(outcomeOf(res)).toBe(route.expect[who]);
	});
});

/**
 * Every form action, posted as a browser without JavaScript would (an empty form: nothing is
 * written; a form that passes the gate is sent back with messages). Form actions do not run the
 * layouts' checks, so each action must ask the permission module itself: this walk proves it.
 * An action added without a line here fails the first test.
 */
const actionTable: Record<string, { path: string; expect: Record<Who, Outcome> }> = {
	'/admin/users?/invite': { path: '/admin/users?/invite', expect: admins },
	'/admin/users?/role': { path: '/admin/users?/role', expect: admins },
	'/admin/users?/disable': { path: '/admin/users?/disable', expect: admins },
	'/admin/partner-search?/hide': { path: '/admin/partner-search?/hide', expect: editors },
	'/admin/partner-search?/show': { path: '/admin/partner-search?/show', expect: editors },
	'/admin/articles/new?/create': { path: '/admin/articles/new?/create', expect: staff },
	'/admin/articles/[id=id]?/save': { path: '/admin/articles/1?/save', expect: staff },
	'/admin/articles/[id=id]?/step': { path: '/admin/articles/1?/step', expect: staff },
	'/admin/articles/[id=id]/revisions?/restore': {
		path: '/admin/articles/1/revisions?/restore',
		expect: staff
	},
	'/admin/topics?/add': { path: '/admin/topics?/add', expect: editors },
	'/admin/topics?/rename': { path: '/admin/topics?/rename', expect: editors },
	'/admin/topics?/merge': { path: '/admin/topics?/merge', expect: editors },
	'/admin/media?/upload': { path: '/admin/media?/upload', expect: staff },
	'/admin/media?/alt': { path: '/admin/media?/alt', expect: staff },
	'/admin/media?/delete': { path: '/admin/media?/delete', expect: editors },
	'/admin/organizations?/create': { path: '/admin/organizations?/create', expect: editors },
	'/admin/organizations?/update': { path: '/admin/organizations?/update', expect: editors },
	'/account?/end': { path: '/account?/end', expect: signedIn },
	'/account?/endOthers': { path: '/account?/endOthers', expect: signedIn },
	'/account?/delete': { path: '/account?/delete', expect: signedIn },
	'/account/two-factor?/start': { path: '/account/two-factor?/start', expect: signedIn },
	'/account/two-factor?/confirm': { path: '/account/two-factor?/confirm', expect: signedIn },
	'/partnerships/new?/create': { path: '/partnerships/new?/create', expect: editors },
	...Object.fromEntries(
		['save', 'invite', 'coordinator', 'revoke', 'attach', 'upload', 'detach'].map((action) => [
			`/partnerships/[slug=slug]/edit?/${action}`,
			{ path: `/partnerships/horby-peja/edit?/${action}`, expect: editors }
		])
	),
	'/find-a-partner/[id=id]?/contact': { path: '/find-a-partner/1?/contact', expect: signedIn },
	'/find-a-partner/profile?/save': { path: '/find-a-partner/profile?/save', expect: signedIn },
	'/find-a-partner/profile?/renew': { path: '/find-a-partner/profile?/renew', expect: signedIn },
	// The token is the credential: an unknown one is a 404 for everyone.
	...Object.fromEntries(
		['answer', 'report'].map((action) => [
			`/find-a-partner/answer/[token]?/${action}`,
			{
				path: `/find-a-partner/answer/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?/${action}`,
				expect: {
					anonymous: 'not-found',
					reader: 'not-found',
					author: 'not-found',
					editor: 'not-found',
					admin: 'not-found'
				} as const
			}
		])
	),
	// Public forms: anyone may send them (and gets messages back for an empty one).
	'/sign-in?/default': { path: '/sign-in', expect: everyone },
	'/reset-password?/default': { path: '/reset-password', expect: everyone },
	'/reset-password/new?/default': { path: '/reset-password/new', expect: everyone }
};

/** Every `actions` key of every +page.server.ts under src/routes, as "<route id>?/<name>". */
function actionIds(): string[] {
	const base = path.resolve(import.meta.dirname, '../../src/routes');
	const ids: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir)) {
			const full = path.join(dir, entry);
			if (statSync(full).isDirectory()) walk(full);
			else if (entry === '+page.server.ts') {
				const source = readFileSync(full, 'utf8');
				const start = source.indexOf('export const actions');
				if (start < 0) continue;
				const id = '/' + path.relative(base, dir).split(path.sep).join('/');
				for (const [, name] of source.slice(start).matchAll(/^\t([A-Za-z]+)(?::|\()/gm)) {
					ids.push(`${id === '/' ? '' : id}?/${name}`);
				}
			}
		}
	};
	walk(base);
	return ids.sort();
}

test('every form action has a line in the permission table (sign-out and the second sign-in step are walked apart)', () => {
	expect(actionIds().filter((id) => !/^\/(sign-out|sign-in\/two-factor)\?/.test(id))).toEqual(
		Object.keys(actionTable).sort()
	);
});

describe.each(Object.entries(actionTable))('POST %s', (_id, action) => {
	test.each(Object.keys(action.expect) as Who[])('as %s', async (who) => {
		const res = await fetch(baseUrl() + action.path, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: cookieOf(who),
				accept: 'text/html',
				origin: baseUrl(),
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: ''
		});
		expect(outcomeOf(res, true)).toBe(action.expect[who]);
	});
});

test('signing out ends the session that asked, and only that one', async () => {
	const cookie = await signInOverHttp(baseUrl(), people.tableReader.email, people.tableReader.password);
	const out = await fetch(`${baseUrl()}/sign-out`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			cookie,
			accept: 'text/html',
			origin: baseUrl(),
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: ''
	});
	expect(out.status).toBe(303);
	const after = await fetch(`${baseUrl()}/account`, {
		redirect: 'manual',
		headers: { cookie, accept: 'text/html' }
	});
	expect(outcomeOf(after)).toBe('sign-in');
	// The prepared session of the same person still works.
	const prepared = await fetch(`${baseUrl()}/account`, {
		redirect: 'manual',
		headers: { cookie: cookieOf('reader'), accept: 'text/html' }
	});
	expect(outcomeOf(prepared)).toBe('allow');
});

test('the second sign-in step without a first step sends you to sign in', async () => {
	const res = await fetch(`${baseUrl()}/sign-in/two-factor`, {
		method: 'POST',
		redirect: 'manual',
		headers: { accept: 'text/html', origin: baseUrl(), 'content-type': 'application/x-www-form-urlencoded' },
		body: 'code=123456'
	});
	expect([303, 400]).toContain(res.status);
	if (res.status === 303) expect(res.headers.get('location')).toMatch(/\/sign-in/);
});
