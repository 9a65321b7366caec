import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { baseUrl } from './browser.ts';
import { people } from './people.ts';
import { createOTP } from '@better-auth/utils/otp';
import { base32 } from '@better-auth/utils/base32';

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
	'/api/v1/goals/[n]': { path: '/api/v1/goals/16', expect: everyone }
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

const cookies: Partial<Record<Who, string>> = { anonymous: '' };

async function signInOverHttp(email: string, password: string): Promise<string> {
	const res = await fetch(`${baseUrl()}/sign-in`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl(), accept: 'text/html' },
		body: new URLSearchParams({ email, password })
	});
	expect(res.status, `sign-in of ${email}`).toBe(303);
	return res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
}

/** Merges the cookies a response sets into a Cookie header. */
function withCookies(jar: string, res: Response): string {
	const map = new Map(
		jar
			.split('; ')
			.filter(Boolean)
			.map((c) => [c.split('=')[0]!, c] as const)
	);
	for (const set of res.headers.getSetCookie()) {
		const pair = set.split(';')[0]!;
		const [name, value] = [pair.split('=')[0]!, pair.slice(pair.indexOf('=') + 1)];
		if (value) map.set(name, pair);
		else map.delete(name);
	}
	return [...map.values()].join('; ');
}

/** Editors and admins must have a second factor before the workspace lets them in: set one up. */
async function withSecondFactor(jar: string, password: string): Promise<string> {
	const post = (action: string, body: Record<string, string>, cookie: string) =>
		fetch(`${baseUrl()}/account/two-factor?/${action}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: baseUrl(),
				accept: 'text/html',
				cookie
			},
			body: new URLSearchParams(body)
		});
	const started = await post('start', { password }, jar);
	const secret = /<code class="secret">([A-Z2-7=]+)<\/code>/.exec(await started.text())![1]!;
	jar = withCookies(jar, started);
	const confirmed = await post('confirm', { code: await createOTP(base32.decode(secret)).totp() }, jar);
	expect(await confirmed.text()).toContain('Klart!');
	return withCookies(jar, confirmed);
}

beforeAll(async () => {
	cookies.reader = await signInOverHttp(people.tableReader.email, people.tableReader.password);
	cookies.author = await signInOverHttp(people.tableAuthor.email, people.tableAuthor.password);
	const editor = await signInOverHttp(people.tableEditor.email, people.tableEditor.password);
	cookies.editor = await withSecondFactor(editor, people.tableEditor.password);
	const admin = await signInOverHttp(people.tableAdmin.email, people.tableAdmin.password);
	cookies.admin = await withSecondFactor(admin, people.tableAdmin.password);
});

test('every route under /admin, /account, /api, /media, /partnerships and /organizations has a line in the permission table', () => {
	expect(
		routeIds('admin', 'account', 'api', 'media', 'partnerships', 'organizations', 'find-a-partner')
	).toEqual(Object.keys(table).sort());
});

describe.each(Object.entries(table))('%s', (_id, route) => {
	test.each(Object.keys(route.expect) as Who[])('as %s', async (who) => {
		const res = await fetch(baseUrl() + route.path, {
			redirect: 'manual',
			headers: { cookie: cookies[who] ?? '', accept: 'text/html' }
		});
		const location = res.headers.get('location') ?? '';
		const outcome: Outcome =
			res.status === 403
				? 'deny'
				: res.status === 404
					? 'not-found'
					: res.status === 401 || (res.status === 303 && location.includes('/sign-in'))
						? 'sign-in'
						: res.status === 200
							? 'allow'
							: (`unexpected ${res.status} ${location}` as Outcome);
		expect(outcome).toBe(route.expect[who]);
	});
});
