import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { baseUrl, sessionOf } from './browser.ts';
import { actionTable, table } from './permission-table.ts';

const paths = ['/inspiration', '/en/inspiration', '/search', '/api/v1/articles', '/feed.xml'];

/** Not a 500, not a stack trace, not a leak of internals. */
async function expectCleanAnswer(path: string) {
	const res = await fetch(baseUrl() + path);
	const body = await res.text();
	expect(res.status, path).not.toBeGreaterThanOrEqual(500);
	expect(body, path).not.toMatch(/at \S+ \(.*:\d+:\d+\)|node_modules|Error: |syntax error/);
	return res.status;
}

test('the malformed parameters of the issue each get a clear 400 or an honest empty result', async () => {
	const cases: [string, number][] = [
		['/inspiration?page=-1', 400],
		['/inspiration?page=abc', 400],
		['/inspiration?sdg=99', 400],
		['/inspiration?sdg=16.99', 400],
		['/inspiration?theme=unknown', 400],
		[`/inspiration?q=${'a'.repeat(10_000)}`, 400],
		['/inspiration?q=%22citizen%20dialogue%22', 200],
		['/inspiration?q=dialog%20%26%20!(x%3A*', 200],
		["/inspiration?q=')%3B%20DROP%20TABLE%20article%3B--", 200],
		['/inspiration?q=%E0%A4%A', 200],
		['/inspiration/%E0%A4%A', 400],
		['/inspiration?theme=participation&theme=transparency', 400],
		['/search?q=%00', 200],
		['/api/v1/articles?page=0', 400],
		['/api/v1/articles?sdg=16.99', 400],
		['/goals/0', 404],
		['/goals/016', 404],
		['/goals/%00', 404],
		['/inspiration/%00', 404],
		['/en/inspiration/Tidsresemetodiken', 404],
		['/api/v1/articles/%00', 404]
	];
	for (const [path, status] of cases) {
		expect(await expectCleanAnswer(path), path).toBe(status);
	}
	const res = await fetch(`${baseUrl()}/api/v1/articles?sdg=99&page=x`);
	expect(await res.json()).toMatchObject({ error: { field: 'sdg' } });
});

test('a form sent to the reserved action name "default" gets a 404, not a 500', async () => {
	for (const path of [
		'/sign-out?/default',
		'/sign-in?/default',
		'/en/partnerships/ale-ghanzi/results?/default'
	]) {
		const res = await fetch(baseUrl() + path, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl() },
			body: 'x=1'
		});
		expect(res.status, path).toBe(404);
		expect(await res.text(), path).toMatch(/does not exist|finns inte/);
	}
});

test('generated query strings never make a route fail', async () => {
	const key = fc.constantFrom('theme', 'kind', 'sdg', 'country', 'q', 'page', 'per_page', 'lang');
	const value = fc.oneof(
		fc.string({ maxLength: 40 }),
		fc.string({ maxLength: 40, unit: 'binary' }),
		fc.constantFrom(
			'16',
			'16.7',
			'3.d',
			'participation',
			'"',
			"'",
			'&',
			'!',
			':*',
			'%',
			'-1',
			'1e9',
			'%ZZ',
			'<script>'
		)
	);
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(...paths),
			fc.array(fc.tuple(key, value), { maxLength: 4 }),
			async (path, pairs) => {
				const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
				await expectCleanAnswer(`${path}?${query}`);
			}
		),
		{ numRuns: 120 }
	);
	// Generated path segments where the routes take a slug or a number.
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom('/inspiration/', '/en/inspiration/', '/goals/', '/api/v1/articles/', '/api/v1/goals/'),
			fc.string({ minLength: 1, maxLength: 60, unit: 'binary' }),
			async (prefix, segment) => {
				const status = await expectCleanAnswer(prefix + encodeURIComponent(segment));
				expect([200, 400, 404]).toContain(status);
			}
		),
		{ numRuns: 100 }
	);
	// Raw, possibly broken percent-encoding as a client might send it.
	await fc.assert(
		fc.asyncProperty(fc.stringMatching(/^[a-z=&%0-9A-F.+-]{0,30}$/), async (raw) => {
			await expectCleanAnswer(`/inspiration?${raw}`);
		}),
		{ numRuns: 80 }
	);
});

// ---------------------------------------------------------------------------------------------
// Every form action and every route of the permission journey, signed out and as an editor (with
// two-step verification), with bad bodies and bad query strings: no answer may be a 500.
//
// The journeys share one server and database, so nothing here may change what another journey
// sees: no form sent may be valid. Every field carries only NUL or control characters (blank
// once read) or more than it takes (40 KB; 256 KB for a body or a description); odd encodings
// read as text, so as an editor the first field of the form is also too long. Never a valid address: a failed sign-in or a reset
// request would count against the client address every journey comes from.

type Actor = 'anonymous' | 'editor';
const actors: Actor[] = ['anonymous', 'editor'];
const cookieOf = (actor: Actor) => (actor === 'editor' ? sessionOf('tableEditor').cookie : '');

const common = (lang: string) =>
	JSON.parse(
		readFileSync(path.resolve(import.meta.dirname, `../../messages/${lang}/common.json`), 'utf8')
	) as { errors: Record<string, string> };

const nul = '\u0000';
const controls = '\u0001\u0002\u0008\u000b\u000c\u000e\u001b\u001f\u007f';
/** Longer than any field takes (the longest, an article's body, is 200,000 characters). */
const overLimit = 256 * 1024;
/**
 * Longer than any field but a body or a description takes (the longest of the rest, a report's
 * text, is 8,000 characters: at most 32,100 bytes as sent).
 */
const overShortLimit = 40 * 1024;
const longField = /body|description/i;
const megabyte = 1024 * 1024;
/** Written into a urlencoded body as they are: the bytes a broken or hostile client sends. */
const oddEncodings: Record<string, Buffer> = {
	'invalid percent-encoding': Buffer.from('%ZZ%E0%A4%A%'),
	'overlong UTF-8': Buffer.from('%C0%AF%E0%80%AF%F0%80%80%AF%C0%80'),
	'a lone surrogate in UTF-8': Buffer.from('%ED%A0%80%ED%BF%BF'),
	'non-Latin-1': Buffer.from(encodeURIComponent('日本語 Ελληνικά 😀 \u2028\uFEFF')),
	'raw bytes that are not UTF-8': Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0x80, 0x20])
};
/** All of them in one value. */
const allOdd = Buffer.concat(Object.values(oddEncodings));

/** Not a 500, and no stack trace or internals in the answer. */
const leak = /at \S+ \(.*:\d+:\d+\)|node_modules|Error: |syntax error/;

interface Attempt {
	actor: Actor;
	what: string;
	method?: string;
	path: string;
	headers?: Record<string, string>;
	body?: BodyInit;
}

/** Sends each attempt (a few at a time) and returns the ones answered with 500 or a leak. */
async function failures(attempts: Attempt[]): Promise<string[]> {
	const found: string[] = [];
	let next = 0;
	const worker = async () => {
		while (next < attempts.length) {
			const a = attempts[next++]!;
			const res = await fetch(baseUrl() + a.path, {
				method: a.method ?? 'GET',
				redirect: 'manual',
				headers: { cookie: cookieOf(a.actor), origin: baseUrl(), accept: 'text/html', ...a.headers },
				body: a.body
			});
			const text = await res.text();
			if (res.status >= 500 || leak.test(text)) {
				found.push(`${a.actor} ${a.method ?? 'GET'} ${a.path} [${a.what}] → ${res.status}`);
			}
		}
	};
	await Promise.all(Array.from({ length: 4 }, worker));
	return found;
}

/** A urlencoded body: each field with the same value (bytes written as they are). */
function urlencoded(names: string[], value: Buffer | string): Buffer {
	return join(
		names.map((n) => Buffer.concat([Buffer.from(`${encodeURIComponent(n)}=`), Buffer.from(value)]))
	);
}
const join = (parts: Buffer[]) => Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from('&'), p] : [p])));
const text = (value: string) => Buffer.from(encodeURIComponent(value));
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A well-formed multipart body: every field NUL, and a file whose name carries control characters. */
function multipart(names: string[]): { body: Buffer; type: string } {
	const boundary = 'bad-input-boundary';
	const parts = names.map(
		(n) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${nul}${controls}\r\n`
	);
	const file =
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rapport${nul}${controls}\u00e5.png"\r\n` +
		'Content-Type: image/png\r\n\r\nnot an image\r\n';
	return {
		body: Buffer.concat([Buffer.from(parts.join('') + file), Buffer.from(`--${boundary}--\r\n`)]),
		type: `multipart/form-data; boundary=${boundary}`
	};
}

const part = '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nx';
/** Bodies that are not forms, whatever the content type says. */
const malformed: [string, string, string][] = [
	['multipart without a boundary', 'multipart/form-data', part],
	['multipart with an empty boundary', 'multipart/form-data; boundary=', part],
	['multipart cut off', 'multipart/form-data; boundary=x', part],
	['an empty multipart body', 'multipart/form-data; boundary=x', ''],
	['a text/plain body', 'text/plain', 'email=x']
];

/** The page an action is on, and the action's name ("default" for a form without one). */
const pageAndName = (actionPath: string): [string, string] => {
	const [page, name] = actionPath.split('?/');
	return [page!, name ?? 'default'];
};

/**
 * The fields each action's form posts, read from its page as the editor sees it (a button's
 * `formaction` counts for the form it is in). An action whose form is not on the page (an unknown
 * answer link) gets every field of every form.
 */
async function formFields(): Promise<{
	byAction: Map<string, string[]>;
	every: string[];
	queryNames: string[];
}> {
	const byAction = new Map<string, string[]>();
	const queryNames = new Set<string>();
	const pages = new Set([
		...Object.values(actionTable).map((a) => pageAndName(a.path)[0]),
		...Object.values(table).map((r) => r.path.split('?')[0]!)
	]);
	for (const page of pages) {
		const res = await fetch(baseUrl() + page, {
			headers: { cookie: cookieOf('editor'), accept: 'text/html' }
		});
		const html = await res.text();
		for (const [, attributes, inner] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
			const names = [
				...new Set(
					[...inner!.matchAll(/<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]!)
				)
			];
			if (/method="get"/i.test(attributes!)) {
				for (const n of names) queryNames.add(n);
				continue;
			}
			const actions = new Set([/action="\?\/([A-Za-z]+)"/.exec(attributes!)?.[1] ?? 'default']);
			for (const [, name] of inner!.matchAll(/formaction="\?\/([A-Za-z]+)"/g)) actions.add(name!);
			for (const name of actions) {
				const key = `${page}?/${name}`;
				byAction.set(key, [...new Set([...(byAction.get(key) ?? []), ...names])]);
			}
		}
	}
	const every = [...new Set([...byAction.values()].flat())];
	return { byAction, every, queryNames: [...queryNames] };
}

describe('bad input to every form action and route', () => {
	let fieldsOf: (actionPath: string) => string[];
	let queryNames: string[];
	beforeAll(async () => {
		const found = await formFields();
		fieldsOf = (actionPath) => {
			const [page, name] = pageAndName(actionPath);
			return found.byAction.get(`${page}?/${name}`) ?? found.every;
		};
		// The shared parameters of the reader, a return address and a token, and those of every
		// filter and search form.
		queryNames = [
			...new Set([
				...found.queryNames,
				...['q', 'page', 'per_page', 'theme', 'kind', 'sdg', 'country', 'county', 'lang', 'format'],
				...['status', 'to', 'notice', 'token', 'required', 'created', 'compare']
			])
		];
	});

	const actions = Object.values(actionTable).map((a) => a.path);

	test.each(actors)(
		'form actions: NUL, control characters, over-long fields and broken bodies, %s',
		async (actor) => {
			const attempts: Attempt[] = [];
			for (const path of actions) {
				const names = fieldsOf(path);
				const post = (what: string, headers: Record<string, string>, body: Buffer | string): Attempt => ({
					actor,
					what,
					method: 'POST',
					path,
					headers,
					body: typeof body === 'string' ? body : new Uint8Array(body)
				});
				attempts.push(
					post('NUL and control characters', form, urlencoded(names, text(nul + controls + nul)))
				);
				// Each field over its limit, up to 1.5 MB in all: room for every field of the largest form
				// (28 fields); an action whose form is not on the page gets the first fields of all 200 and
				// more over-long, the rest NUL. (A body over the limit, 11 MB, is sent below.)
				let room = 1.5 * megabyte;
				const fields = names.map((name) => {
					const size = longField.test(name) ? overLimit : overShortLimit;
					room -= size;
					return urlencoded([name], room >= 0 ? 'x'.repeat(size) : text(nul));
				});
				attempts.push(post('over-long fields', form, join(fields)));
				const { body, type } = multipart(names);
				attempts.push(post('multipart with NUL and a bad file name', { 'content-type': type }, body));
				for (const [what, type, body] of malformed) attempts.push(post(what, { 'content-type': type }, body));
				// Odd text reads as text: signed in, the form's first field is also too long, so that no
				// form can be saved with it.
				const [first = '', ...rest] = names;
				const tooLong = Buffer.concat([allOdd, Buffer.from('x'.repeat(overLimit))]);
				const odd =
					actor === 'anonymous'
						? urlencoded(names, allOdd)
						: Buffer.concat([urlencoded([first], tooLong), Buffer.from('&'), urlencoded(rest, allOdd)]);
				attempts.push(post('odd encodings', form, odd));
			}
			// Over the body limit (11 MB): refused before any action reads it, for a form and an upload.
			const upload = actions.find((a) => a.endsWith('/proposals/new')) ?? actions[1]!;
			for (const path of [actions[0]!, upload]) {
				const body = urlencoded([fieldsOf(path)[0] ?? 'x'], Buffer.from('x'.repeat(12 * megabyte)));
				attempts.push({
					actor,
					what: 'over the body limit',
					method: 'POST',
					path,
					headers: form,
					body: new Uint8Array(body)
				});
			}
			expect(await failures(attempts)).toEqual([]);
		},
		300_000
	);

	test.each(actors)('pages and API endpoints: bad query strings, %s', async (actor) => {
		const paths = [
			...new Set([...Object.values(table).map((r) => r.path), ...actions.map((a) => pageAndName(a)[0])])
		];
		const values: [string, string][] = [
			['NUL', encodeURIComponent(nul)],
			['control characters', encodeURIComponent(controls)],
			// An address has room for about 8 KB: long values, not a refused request line.
			['long values', 'x'.repeat(Math.floor(6000 / queryNames.length))],
			...Object.entries(oddEncodings).map(([what, bytes]): [string, string] => [
				what,
				what === 'raw bytes that are not UTF-8' ? '%FF%FE%C0%AF%80' : bytes.toString()
			])
		];
		const attempts: Attempt[] = [];
		for (const path of paths) {
			for (const [what, value] of values) {
				const query = queryNames.map((n) => `${n}=${value}`).join('&');
				attempts.push({ actor, what, path: `${path}${path.includes('?') ? '&' : '?'}${query}` });
			}
		}
		expect(await failures(attempts)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------
// The inputs the security review found answered with a 500, each by name.

test('a NUL byte in a reset token is the expired-link message, not a database error', async () => {
	const res = await fetch(`${baseUrl()}/reset-password/new`, {
		method: 'POST',
		redirect: 'manual',
		headers: { ...form, origin: baseUrl(), accept: 'text/html' },
		body: new URLSearchParams({ token: `abc${nul}def`, password: 'ett långt och gott lösenord 2026' })
	});
	expect(res.status).toBe(400);
	expect(await res.text()).toContain('class="error-summary"');
});

test('a body that is not a form gets 400 and a message on the public forms, signed out', async () => {
	const forms = ['/sign-in', '/reset-password', '/reset-password/new', '/sign-in/two-factor', '/en/sign-in'];
	for (const path of forms) {
		for (const [what, type, body] of malformed) {
			const res = await fetch(baseUrl() + path, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': type, origin: baseUrl(), accept: 'text/html' },
				body
			});
			expect(res.status, `${path} ${what}`).toBe(400);
			const message = common(path.startsWith('/en/') ? 'en' : 'sv').errors.unreadableForm!;
			expect(await res.text(), `${path} ${what}`).toContain(message);
		}
	}
	// The answer page of an unknown link is not found, however the body is broken.
	for (const [what, type, body] of malformed) {
		const res = await fetch(`${baseUrl()}/find-a-partner/answer/${'a'.repeat(43)}?/answer`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': type, origin: baseUrl(), accept: 'text/html' },
			body
		});
		expect([400, 404], what).toContain(res.status);
	}
});

test('addresses the auth library refuses are refused by the forms with a message', async () => {
	const message = common('sv').errors.invalidEmail!;
	for (const email of [
		'a@b',
		'åäö@exempel.se',
		'anna@räksmörgås.se',
		'"anna andersson"@example.se',
		`anna${nul}@example.se`
	]) {
		for (const path of ['/reset-password', '/sign-in']) {
			const res = await fetch(baseUrl() + path, {
				method: 'POST',
				redirect: 'manual',
				headers: { ...form, origin: baseUrl(), accept: 'text/html' },
				body: new URLSearchParams({ email, password: 'inte rätt lösenord' })
			});
			expect(res.status, `${path} ${email}`).toBe(400);
			if (path === '/reset-password') expect(await res.text(), email).toContain(message);
		}
	}
});

test('a return address with characters a header cannot carry sends a signed-in visitor on safely', async () => {
	for (const to of ['/€', '/日本語', '/admin?q=ä€']) {
		const res = await fetch(`${baseUrl()}/sign-in?to=${encodeURIComponent(to)}`, {
			redirect: 'manual',
			headers: { cookie: cookieOf('editor'), accept: 'text/html' }
		});
		expect(res.status, to).toBeLessThan(500);
		if (res.status === 303) expect(res.headers.get('location'), to).toMatch(/^\/[\x21-\x7e]*$/);
	}
});

test('the auth library’s own endpoints answer bad input without a 500', async () => {
	const json = { 'content-type': 'application/json' };
	const attempts: Attempt[] = [
		{
			actor: 'anonymous',
			what: 'NUL token',
			path: `/api/auth/reset-password/abc%00def?callbackURL=%2Freset-password%2Fnew`
		},
		{
			actor: 'anonymous',
			what: 'odd token',
			path: `/api/auth/reset-password/%C0%AF%ED%A0%80?callbackURL=%2F`
		},
		{ actor: 'anonymous', what: 'NUL token', path: '/api/auth/verify-email?token=abc%00def' },
		{ actor: 'anonymous', what: 'odd token', path: '/api/auth/verify-email?token=%E6%97%A5%ZZ' },
		...['/api/auth/sign-in/email', '/api/auth/request-password-reset', '/api/auth/reset-password'].flatMap(
			(path): Attempt[] => [
				{
					actor: 'anonymous',
					what: 'NUL in JSON',
					method: 'POST',
					path,
					headers: json,
					body: JSON.stringify({ email: `a${nul}@b`, password: nul, token: nul, newPassword: nul })
				},
				{ actor: 'anonymous', what: 'broken JSON', method: 'POST', path, headers: json, body: '{"email":' },
				{
					actor: 'anonymous',
					what: '1 MB of JSON',
					method: 'POST',
					path,
					headers: json,
					body: JSON.stringify({ email: 'x'.repeat(megabyte) })
				},
				...malformed.map(([what, type, body]): Attempt => ({
					actor: 'anonymous',
					what,
					method: 'POST',
					path,
					headers: { 'content-type': type },
					body
				}))
			]
		)
	];
	expect(await failures(attempts)).toEqual([]);
});
