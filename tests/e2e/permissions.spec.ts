import { describe, expect, test } from 'vitest';
import { baseUrl, sessionOf } from './browser.ts';
import { people, type PreparedPerson } from './people.ts';
import { signInOverHttp } from './sessions.ts';
import { actionIds, actionTable, routeIds, table, type Outcome, type Who } from './permission-table.ts';

// The routes and actions walked here, with who may use each, are listed in permission-table.ts
// (bad-input.spec.ts sends bad input to the same ones).

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

test('every route under /admin, /account, /api, /media, /partnerships, /organizations, /find-a-partner, /dialogue and /open311 has a line in the permission table', () => {
	expect(
		routeIds(
			'admin',
			'account',
			'api',
			'media',
			'partnerships',
			'organizations',
			'find-a-partner',
			'dialogue',
			'open311'
		)
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

test('a form sent from another site is refused and changes nothing', async () => {
	const cookie = await signInOverHttp(baseUrl(), people.tableReader.email, people.tableReader.password);
	const forged = (headers: Record<string, string>) =>
		fetch(`${baseUrl()}/sign-out`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body: ''
		});
	// From another site, from a page that hides where it is (Origin: null), and with no Origin.
	for (const origin of ['https://evil.example', 'null', undefined]) {
		const res = await forged({ accept: 'text/html', ...(origin ? { origin } : {}) });
		expect(res.status).toBe(403);
		expect(await res.text()).toBe(
			'Formuläret skickades från en annan webbplats och togs därför inte emot. Öppna sidan på den här webbplatsen och skicka formuläret igen.'
		);
	}
	// In English under /en, and as JSON to a client that asks for it.
	const json = await fetch(`${baseUrl()}/en/sign-out`, {
		method: 'POST',
		headers: {
			cookie,
			accept: 'application/json',
			origin: 'https://evil.example',
			'content-type': 'text/plain'
		},
		body: ''
	});
	expect(json.status).toBe(403);
	expect(((await json.json()) as { error: { message: string } }).error.message).toMatch(
		/^This form was sent from another site, so it was not accepted\./
	);
	// Still signed in: none of them signed the reader out.
	const after = await fetch(`${baseUrl()}/account`, {
		redirect: 'manual',
		headers: { cookie, accept: 'text/html' }
	});
	expect(outcomeOf(after)).toBe('allow');
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
