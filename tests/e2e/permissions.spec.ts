import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { baseUrl } from './browser.ts';
import { people } from './people.ts';

type Who = 'anonymous' | 'reader' | 'author' | 'editor' | 'admin';
/** allow: the page or answer (or, for editors and admins, the step to set up a second factor); deny: 403; sign-in: sent to sign in. */
type Outcome = 'allow' | 'deny' | 'sign-in';

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

/**
 * Every route under /admin, /account and /api, with who may use it. A route that is added
 * without a line here fails the first test: access is decided on purpose, not by accident.
 */
const table: Record<string, { path: string; expect: Record<Who, Outcome> }> = {
	'/admin': { path: '/admin', expect: staff },
	'/account': { path: '/account', expect: signedIn },
	'/account/two-factor': { path: '/account/two-factor', expect: signedIn },
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

beforeAll(async () => {
	cookies.reader = await signInOverHttp(people.tableReader.email, people.tableReader.password);
	cookies.author = await signInOverHttp(people.tableAuthor.email, people.tableAuthor.password);
	cookies.editor = await signInOverHttp(people.tableEditor.email, people.tableEditor.password);
	cookies.admin = await signInOverHttp(people.tableAdmin.email, people.tableAdmin.password);
});

test('every route under /admin, /account and /api has a line in the permission table', () => {
	expect(routeIds('admin', 'account', 'api')).toEqual(Object.keys(table).sort());
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
				: res.status === 303 && location.includes('/sign-in')
					? 'sign-in'
					: res.status === 200 || (res.status === 303 && location.includes('/account/two-factor'))
						? 'allow'
						: (`unexpected ${res.status} ${location}` as Outcome);
		expect(outcome).toBe(route.expect[who]);
	});
});
