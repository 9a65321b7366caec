import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { baseUrl, sessionOf } from './browser.ts';
import { people, type Person } from './people.ts';
import { signInOverHttp, withCookies } from './sessions.ts';
import { actionIds } from './permission-table.ts';
import { freePort, freshPostgres, type FreshPostgres } from './instances.ts';
import { createOTP } from '@better-auth/utils/otp';
import { base32 } from '@better-auth/utils/base32';

/**
 * The seams of issue 14, against the real server: what the pages enforce must hold for direct
 * posts, for the auth library's own endpoints, and behind a proxy.
 */

const root = path.resolve(import.meta.dirname, '../..');
const twoFactorSetUp = /^\/(en\/)?account\/two-factor\?required$/;

const formHeaders = (cookie: string, origin = baseUrl()) => ({
	'content-type': 'application/x-www-form-urlencoded',
	accept: 'text/html',
	origin,
	cookie
});

/** POSTs a form as a browser without JavaScript would. */
const post = (url: string, cookie: string, body: Record<string, string> = {}, origin = baseUrl()) =>
	fetch(url, {
		method: 'POST',
		redirect: 'manual',
		headers: formHeaders(cookie, origin),
		body: new URLSearchParams(body)
	});
const get = (url: string, cookie: string, headers: Record<string, string> = {}) =>
	fetch(url, { redirect: 'manual', headers: { accept: 'text/html', cookie, ...headers } });

/** Every form action in src/routes but signing out, as `/route?/name` (a default one as `/route`) with the route's parameters filled in. */
function everyFormAction(): string[] {
	const params: Record<string, string> = { 'id=id': '1', 'slug=slug': 'horby-peja', token: 'a'.repeat(43) };
	// A default action is sent to the page's own address (`?/default` is no action's name). Signing
	// out is left out: it ends the session the others are sent with (the test signs out last).
	return actionIds()
		.map((id) => id.replace(/\[([^\]]+)\]/g, (_, p: string) => params[p] ?? '1').replace(/\?\/default$/, ''))
		.filter((action) => action !== '/sign-out')
		.sort();
}

/** The id of a person in the admin's user list (the hidden field of their row's forms). */
async function userId(email: string): Promise<string> {
	const html = await (await get(`${baseUrl()}/admin/users`, sessionOf('seamsAdmin').cookie)).text();
	const row = html.slice(html.indexOf(email));
	const id = /name="user" value="([^"]+)"/.exec(row)?.[1];
	if (!id) throw new Error(`${email} is not in the user list`);
	return id;
}

describe('two-step verification is asked for on every request, not only by the workspace pages', () => {
	const unenrolled = ['unenrolledEditor', 'unenrolledAdmin'] as const satisfies readonly Person[];

	test.each(unenrolled)('%s reaches no page, form action or API before setting it up', async (who) => {
		const cookie = await signInOverHttp(baseUrl(), people[who].email, people[who].password);
		const actions = everyFormAction();
		expect(actions.length).toBeGreaterThan(20);
		const through: string[] = [];
		for (const action of actions) {
			const res = await post(baseUrl() + action, cookie);
			const refused = res.status === 303 && twoFactorSetUp.test(res.headers.get('location') ?? '');
			// Their own account stays open: what it takes to set it up.
			const open = /^\/account(\/|\?|$)/.test(action);
			if (refused === open) through.push(`${action} ${res.status} ${res.headers.get('location') ?? ''}`);
		}
		expect(through).toEqual([]);
		// A form sent with JavaScript (use:enhance) is told where to go instead.
		const enhanced = await fetch(`${baseUrl()}/admin/topics?/add`, {
			method: 'POST',
			headers: { ...formHeaders(cookie), accept: 'application/json', 'x-sveltekit-action': 'true' },
			body: new URLSearchParams({ nameSv: 'Smugglat ämne', nameEn: 'Smuggled topic' })
		});
		expect(await enhanced.json()).toMatchObject({
			type: 'redirect',
			location: '/account/two-factor?required'
		});

		for (const page of [
			'/',
			'/admin',
			'/admin/topics',
			'/admin/users',
			'/partnerships/new',
			'/partnerships/horby-peja/edit',
			'/find-a-partner/profile'
		]) {
			const res = await get(baseUrl() + page, cookie);
			expect(`${page} ${res.status} ${res.headers.get('location')}`).toBe(
				`${page} 303 /account/two-factor?required`
			);
		}
		expect((await get(`${baseUrl()}/en/admin/articles`, cookie)).headers.get('location')).toBe(
			'/en/account/two-factor?required'
		);
		const data = await get(`${baseUrl()}/admin/__data.json`, cookie);
		expect(await data.json()).toMatchObject({ type: 'redirect', location: '/account/two-factor?required' });
		const api = await get(`${baseUrl()}/api/v1/articles`, cookie, { accept: 'application/json' });
		expect(api.status).toBe(403);
		expect((await api.json()).error.message).toContain('tvåstegsverifiering');
		for (const page of [
			'/account',
			'/account/two-factor?required',
			'/en/account/two-factor',
			'/account/data'
		]) {
			expect(`${page} ${(await get(baseUrl() + page, cookie)).status}`).toBe(`${page} 200`);
		}
		// Signing out is open too (sent last: it ends the session).
		const out = await post(`${baseUrl()}/sign-out`, cookie);
		expect(`${out.status} ${out.headers.get('location')}`).toBe('303 /sign-in?notice=signed-out');
		expect((await get(`${baseUrl()}/account`, cookie)).status).toBe(303);
	});

	test('what a direct post tried did not happen: no topic added, no admin invited', async () => {
		const editor = await signInOverHttp(
			baseUrl(),
			people.unenrolledEditor.email,
			people.unenrolledEditor.password
		);
		const admin = await signInOverHttp(
			baseUrl(),
			people.unenrolledAdmin.email,
			people.unenrolledAdmin.password
		);
		await post(`${baseUrl()}/admin/topics?/add`, editor, { nameSv: 'Bakvägsämne', nameEn: 'Backdoor topic' });
		await post(`${baseUrl()}/admin/users?/invite`, admin, {
			email: 'bakvag-admin@example.se',
			name: 'Bakväg',
			role: 'admin'
		});
		const looker = sessionOf('seamsAdmin').cookie;
		expect(await (await get(`${baseUrl()}/admin/topics`, looker)).text()).not.toContain('Bakvägsämne');
		expect(await (await get(`${baseUrl()}/admin/users`, looker)).text()).not.toContain(
			'bakvag-admin@example.se'
		);
	});

	test('a role given counts on the session already open: a reader made an editor is asked to set it up', async () => {
		const cookie = await signInOverHttp(
			baseUrl(),
			people.promotedReader.email,
			people.promotedReader.password
		);
		expect((await get(`${baseUrl()}/partnerships/new`, cookie)).status).toBe(403);
		const saved = await post(`${baseUrl()}/admin/users?/role`, sessionOf('seamsAdmin').cookie, {
			user: await userId(people.promotedReader.email),
			role: 'editor'
		});
		expect(saved.status).toBe(200);
		const now = await get(`${baseUrl()}/partnerships/new`, cookie);
		expect([now.status, now.headers.get('location')]).toEqual([303, '/account/two-factor?required']);
		const action = await post(`${baseUrl()}/partnerships/new?/create`, cookie, { name: 'Bakväg' });
		expect(action.headers.get('location')).toBe('/account/two-factor?required');
	});
});

describe('the auth library answers over HTTP only the links it mails', () => {
	test('its sign-in, admin and profile endpoints are closed to everyone, an admin with two-step verification too', async () => {
		const admin = sessionOf('seamsAdmin').cookie;
		const victim = people.unenrolledEditor;
		const attempts: [string, string, unknown][] = [
			['POST', '/sign-in/email', { email: victim.email, password: victim.password }],
			['POST', '/admin/set-role', { userId: 'x', role: 'admin' }],
			['POST', '/admin/ban-user', { userId: 'x' }],
			['POST', '/admin/unban-user', { userId: 'x' }],
			['POST', '/admin/set-user-password', { userId: 'x', newPassword: 'ett övertaget långt lösen' }],
			[
				'POST',
				'/admin/create-user',
				{ email: 'smuggel@example.se', password: 'ett smugglat långt lösen', name: 'S' }
			],
			['GET', '/admin/list-users', undefined],
			['POST', '/admin/remove-user', { userId: 'x' }],
			['POST', '/update-user', { name: 'x'.repeat(900_000), image: 'javascript:alert(1)' }],
			['POST', '/request-password-reset', { email: victim.email }],
			['POST', '/two-factor/verify-totp', { code: '123456' }],
			['POST', '/change-password', { currentPassword: 'x', newPassword: 'y' }],
			['GET', '/get-session', undefined],
			['GET', '/list-sessions', undefined]
		];
		for (const [method, endpoint, body] of attempts) {
			const res = await fetch(`${baseUrl()}/api/auth${endpoint}`, {
				method,
				redirect: 'manual',
				headers: { 'content-type': 'application/json', origin: baseUrl(), cookie: admin },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
			expect(`${method} ${endpoint} ${res.status}`).toBe(`${method} ${endpoint} 404`);
			expect(res.headers.getSetCookie()).toEqual([]);
		}
		// The links in its mails still lead on (here with a token that is no good).
		const link = await fetch(
			`${baseUrl()}/api/auth/reset-password/ingen-bra-nyckel?callbackURL=${encodeURIComponent(`${baseUrl()}/reset-password/new`)}`,
			{ redirect: 'manual' }
		);
		expect(link.status).toBe(302);
		expect(link.headers.get('location')).toMatch(/\/reset-password\/new\?error=INVALID_TOKEN$/);
	});
});

describe('the client’s address', () => {
	let proxied: ChildProcess | undefined;
	let dir: string | undefined;
	let database: FreshPostgres | undefined;
	afterAll(async () => {
		if (proxied && proxied.exitCode === null) {
			const exited = new Promise((r) => proxied!.once('exit', r));
			proxied.kill('SIGTERM');
			await exited;
		}
		if (dir) rmSync(dir, { recursive: true, force: true });
		await database?.drop();
	});

	/** The addresses on the person's own account page (where they are signed in). */
	const addressesOn = async (origin: string, cookie: string) =>
		[
			...(await (await get(`${origin}/account`, cookie)).text()).matchAll(
				/<td>(\d{1,3}(?:\.\d{1,3}){3})<\/td>/g
			)
		].map((m) => m[1]);

	test('without TRUST_PROXY, X-Forwarded-For (or any other header) does not choose it', async () => {
		const res = await fetch(`${baseUrl()}/sign-in`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				...formHeaders(''),
				'x-forwarded-for': '203.0.113.77',
				'x-partnerskap-client-address': '203.0.113.78',
				'x-client-ip': '203.0.113.79'
			},
			body: new URLSearchParams({
				email: people.addressReader.email,
				password: people.addressReader.password
			})
		});
		expect(res.status).toBe(303);
		const cookie = res.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.join('; ');
		const addresses = await addressesOn(baseUrl(), cookie);
		expect(addresses).toContain('127.0.0.1');
		expect(addresses.join()).not.toMatch(/203\.0\.113/);
	});

	test('nor does it choose the address of a sign-in through the second step', async () => {
		const forged = { 'x-forwarded-for': '203.0.113.77', 'x-client-ip': '203.0.113.79' };
		const person = people.seamsAdmin;
		const first = await fetch(`${baseUrl()}/sign-in`, {
			method: 'POST',
			redirect: 'manual',
			headers: { ...formHeaders(''), ...forged },
			body: new URLSearchParams({ email: person.email, password: person.password })
		});
		expect(first.headers.get('location')).toMatch(/\/sign-in\/two-factor/);
		let jar = withCookies('', first);
		// The next step's code: the one the set-up used may still be current, and a code works once.
		const code = await createOTP(base32.decode(sessionOf('seamsAdmin').secret!)).hotp(
			Math.floor(Date.now() / 30_000) + 1
		);
		const second = await fetch(`${baseUrl()}/sign-in/two-factor`, {
			method: 'POST',
			redirect: 'manual',
			headers: { ...formHeaders(jar), ...forged },
			body: new URLSearchParams({ code })
		});
		expect(second.status).toBe(303);
		jar = withCookies(jar, second);
		const addresses = await addressesOn(baseUrl(), jar);
		expect(addresses).toContain('127.0.0.1');
		expect(addresses.join()).not.toMatch(/203\.0\.113/);
	});

	test(
		'with TRUST_PROXY=1 it is what the proxy appended: lockouts and sessions count clients, not the proxy',
		{ timeout: 180_000 },
		async () => {
			dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-proxy-'));
			// A new PostgreSQL database where there is one: migrating it takes a second, a new PGlite
			// (its initdb in WebAssembly) ten times that, twice (for admin:create and the server).
			database = process.env.TEST_DATABASE_URL ? await freshPostgres('proxy') : undefined;
			const port = await freePort();
			const origin = `http://127.0.0.1:${port}`;
			const env = {
				...process.env,
				DATA_DIR: path.join(dir, 'db'),
				DATABASE_URL: database?.url ?? '',
				SEED_DEMO: 'false',
				OUTBOX_DIR: path.join(dir, 'outbox'),
				AUTH_SECRET_FILE: path.join(dir, 'auth-secret'),
				LOG_LEVEL: 'warn'
			};
			const reader = { email: 'bakom-proxy@example.se', password: 'läsaren bakom proxyn har ett lösen' };
			execFileSync(
				process.execPath,
				[
					'scripts/admin-create.js',
					'--email',
					reader.email,
					'--password',
					reader.password,
					'--role',
					'reader'
				],
				{ cwd: root, env, stdio: 'ignore' }
			);
			proxied = spawn(process.execPath, ['scripts/serve.js'], {
				cwd: root,
				env: {
					...env,
					PORT: String(port),
					HOST: '127.0.0.1',
					ORIGIN: origin,
					TRUST_PROXY: '1',
					SMTP_URL: ''
				},
				stdio: ['ignore', 'inherit', 'inherit']
			});
			for (let tries = 0; ; tries++) {
				if (proxied.exitCode !== null) throw new Error(`The proxied server exited with ${proxied.exitCode}`);
				if (
					await fetch(`${origin}/readyz`).then(
						(r) => r.ok,
						() => false
					)
				)
					break;
				if (tries > 480) throw new Error('The proxied server did not start');
				await new Promise((r) => setTimeout(r, 250));
			}
			/** A sign-in as relayed by the proxy for `client` (the client wrote `forged` first). */
			const signIn = (client: string, password: string, forged = '198.51.100.7') =>
				fetch(`${origin}/sign-in`, {
					method: 'POST',
					redirect: 'manual',
					headers: { ...formHeaders('', origin), 'x-forwarded-for': `${forged}, ${client}` },
					body: new URLSearchParams({ email: reader.email, password })
				});
			const ok = await signIn('203.0.113.9', reader.password);
			expect(ok.status).toBe(303);
			const cookie = ok.headers
				.getSetCookie()
				.map((c) => c.split(';')[0])
				.join('; ');
			expect(await addressesOn(origin, cookie)).toEqual(['203.0.113.9']);

			// Twenty failures from one client lock that client out, not everyone behind the proxy.
			for (let i = 0; i < 20; i++) {
				await fetch(`${origin}/sign-in`, {
					method: 'POST',
					redirect: 'manual',
					headers: { ...formHeaders('', origin), 'x-forwarded-for': `198.51.100.${i}, 203.0.113.10` },
					body: new URLSearchParams({ email: `gissning-${i}@example.se`, password: 'en gissning av många' })
				});
			}
			expect((await signIn('203.0.113.10', reader.password, '203.0.113.11')).status).toBe(429);
			expect((await signIn('203.0.113.11', reader.password, '203.0.113.10')).status).toBe(303);
		}
	);

	test('in production the server will not start without ORIGIN, and says why in one line', async () => {
		const nowhere = mkdtempSync(path.join(tmpdir(), 'partnerskap-no-origin-'));
		onTestFinished(() => rmSync(nowhere, { recursive: true, force: true }));
		for (const setting of [{ NODE_ENV: 'production' }, { TRUST_PROXY: '1' }]) {
			const env: NodeJS.ProcessEnv = {
				...process.env,
				...setting,
				PORT: '3999',
				LOG_LEVEL: 'warn',
				DATA_DIR: path.join(nowhere, 'db'),
				AUTH_SECRET_FILE: path.join(nowhere, 'auth-secret')
			};
			delete env.ORIGIN;
			const child = spawn(process.execPath, ['scripts/serve.js'], {
				cwd: root,
				env,
				stdio: ['ignore', 'pipe', 'pipe']
			});
			let stderr = '';
			child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
			// A server that starts anyway is stopped after a while (and the test fails).
			const stop = setTimeout(() => child.kill('SIGTERM'), 20_000);
			const code = await new Promise((r) => child.once('exit', r));
			clearTimeout(stop);
			expect(code).toBe(1);
			expect(stderr.trim()).toMatch(/^ORIGIN must be set in production[^\n]*$/);
		}
	});
});
