import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { createOTP } from '@better-auth/utils/otp';
import { base32 } from '@better-auth/utils/base32';
import { testDatabases } from '../test/databases.ts';
import { cookiesOf } from '../test/cookies.ts';
import { aPerson, aSession, aTestAuth, testOrigin, type TestPerson } from '../test/factories/accounts.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import type { Mail } from '../kernel/mail.ts';
import type { Auth } from './auth.ts';
import { confirmTwoFactor, setDisabled, setRole, startTwoFactor } from './commands.ts';
import { currentUser, mustSetUpSecondFactor } from './sessions.ts';
import { choosePassword, requestPasswordReset, signIn, verifySecondFactor } from './sign-in.ts';
import { createSignInThrottle, forgetExpired, type SignInThrottle } from './throttle.ts';
import { signInThrottle, twoFactor, user, verification } from './schema.ts';

/**
 * The seams between the app's own ways in and the auth library's (issue 14): what the app's forms
 * refuse, limit and log must not be reachable another way.
 */
describe.each(testDatabases)('the seams of signing in on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	let throttle: SignInThrottle;
	let admin: TestPerson;
	const sent: Mail[] = [];

	/** A request to the library's own endpoint, as a browser (or a script) would send it. */
	const direct = (method: string, path: string, options: { body?: unknown; cookie?: string } = {}) =>
		auth.handler(
			new Request(`${testOrigin}/api/auth${path}`, {
				method,
				headers: {
					'content-type': 'application/json',
					origin: testOrigin,
					'x-client-ip': '192.0.2.40',
					...(options.cookie ? { cookie: options.cookie } : {})
				},
				body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {})
			})
		);
	const client = (ip: string) => ({ ip, userAgent: 'Testläsaren/1.0' });
	const typed = (p: TestPerson) => ({ email: p.email, password: p.password });

	beforeAll(async () => {
		h = await database.open();
		auth = aTestAuth(h.db, async (mail) => void sent.push(mail));
		throttle = createSignInThrottle(h.db);
		admin = await aPerson(auth, h.db, 'admin');
	});
	afterEach(() => vi.useRealTimers());
	afterAll(() => h?.close());

	it('answers over HTTP only the links it mails; its sign-in, admin and profile endpoints are closed', async () => {
		const victim = await aPerson(auth, h.db, 'editor');
		const cookie = (await aSession(auth, admin)).headers.get('cookie')!;
		const attempts: [string, string, unknown][] = [
			['POST', '/sign-in/email', { email: victim.email, password: victim.password }],
			['POST', '/admin/set-role', { userId: victim.id, role: 'reader' }],
			['POST', '/admin/ban-user', { userId: victim.id }],
			['POST', '/admin/set-user-password', { userId: victim.id, newPassword: 'ett övertaget långt lösen' }],
			[
				'POST',
				'/admin/create-user',
				{ email: 'smuggel@example.se', password: 'ett smugglat långt lösen', name: 'S', role: 'admin' }
			],
			['GET', '/admin/list-users', undefined],
			['POST', '/admin/remove-user', { userId: victim.id }],
			['POST', '/update-user', { name: 'x'.repeat(900_000), image: 'javascript:alert(1)' }],
			['POST', '/request-password-reset', { email: victim.email }],
			['POST', '/two-factor/disable', { password: 'x' }],
			['GET', '/get-session', undefined]
		];
		for (const [method, path, body] of attempts) {
			const res = await direct(method, path, { body, cookie });
			expect(`${method} ${path}: ${res.status}`).toBe(`${method} ${path}: 404`);
			expect(res.headers.getSetCookie()).toEqual([]);
		}
		// Every other endpoint of the library as well, whatever a later version adds.
		for (const endpoint of Object.values(auth.api) as { path?: string; options?: { method?: unknown } }[]) {
			if (!endpoint.path || ['/reset-password/:token', '/verify-email'].includes(endpoint.path)) continue;
			const method = [endpoint.options?.method].flat()[0];
			const res = await direct(
				typeof method === 'string' && method !== '*' ? method : 'POST',
				endpoint.path,
				{
					cookie
				}
			);
			expect(`${endpoint.path}: ${res.status}`).toBe(`${endpoint.path}: 404`);
		}
		// Nothing changed: the victim keeps role, password and name; nobody was smuggled in.
		const [after] = await h.db.select().from(user).where(eq(user.id, victim.id));
		expect(after).toMatchObject({ role: 'editor', banned: false, image: null });
		expect(await h.db.select().from(user).where(eq(user.email, 'smuggel@example.se'))).toEqual([]);
		await aSession(auth, victim);
	});

	it('lets no request past the lockout: the library’s sign-in endpoint gives no session', async () => {
		const locked = await aPerson(auth, h.db, 'author');
		for (let i = 0; i < 5; i++) {
			await signIn(
				auth,
				throttle,
				h.db,
				{ email: locked.email, password: `fel lösenord nummer ${i}` },
				client('192.0.2.41')
			);
		}
		const form = await signIn(auth, throttle, h.db, typed(locked), client('192.0.2.41'));
		expect(form).toMatchObject({ ok: false, reason: 'locked' });
		const res = await direct('POST', '/sign-in/email', {
			body: { email: locked.email, password: locked.password }
		});
		expect(res.status).toBe(404);
		expect(res.headers.getSetCookie()).toEqual([]);
	});

	it('takes a display name through the library with the limits of the app’s own form, and no image', async () => {
		const me = await aPerson(auth, h.db, 'author', { name: 'Rut' });
		const { headers } = await aSession(auth, me);
		for (const body of [{ name: 'x'.repeat(900_000) }, { name: '   ' }, { image: 'javascript:alert(1)' }]) {
			await expect(
				auth.api.updateUser({ body, headers }),
				JSON.stringify(body).slice(0, 40)
			).rejects.toMatchObject({
				statusCode: 400
			});
		}
		// Line breaks become one space, as in the app's forms.
		await auth.api.updateUser({ body: { name: 'Rut\r\nRedaktör' }, headers });
		const [row] = await h.db
			.select({ name: user.name, image: user.image })
			.from(user)
			.where(eq(user.id, me.id));
		expect(row).toEqual({ name: 'Rut Redaktör', image: null });
	});

	it('answers a disabled account’s right password as a wrong one on the form; over HTTP both meet the same closed door', async () => {
		const gone = await aPerson(auth, h.db, 'author');
		await setDisabled(h.db, admin, { user: gone.id, disabled: 'true' });
		const right = await signIn(auth, throttle, h.db, typed(gone), client('192.0.2.42'));
		const wrong = await signIn(
			auth,
			throttle,
			h.db,
			{ email: gone.email, password: 'inte alls rätt lösenord' },
			client('192.0.2.42')
		);
		expect(right).toEqual({ ok: false, reason: 'invalid' });
		expect(wrong).toEqual(right);
		const [a, b] = await Promise.all(
			[gone.password, 'inte alls rätt lösenord'].map((password) =>
				direct('POST', '/sign-in/email', { body: { email: gone.email, password } })
			)
		);
		expect([a!.status, await a!.text()]).toEqual([b!.status, await b!.text()]);
	});

	it('takes a code from the authenticator app once: not again to sign in, nor the code that turned it on', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		// The start of a 30-second step, so that "the next code" is the next step's.
		vi.setSystemTime(Math.floor(Date.now() / 30_000) * 30_000 + 1_000);
		const me = await aPerson(auth, h.db, 'editor');
		const { headers } = await aSession(auth, me);
		const setup = await startTwoFactor(auth, me, { password: me.password }, headers);
		const totp = () => createOTP(base32.decode(setup.secret)).totp();
		const first = await totp();
		await confirmTwoFactor(auth, h.db, me, { code: first }, headers);
		/** Signs in with the password, up to the second step; the cookies of that step. */
		const secondStep = async () => {
			const outcome = await signIn(auth, throttle, h.db, typed(me), client('192.0.2.43'));
			if (!outcome.ok || !outcome.secondFactor) throw new Error('no second step');
			return new Headers({ cookie: cookiesOf(outcome.headers) });
		};
		const badCode = { problems: [{ field: 'code', code: 'badCode' }] };
		await expect(verifySecondFactor(auth, { code: first }, await secondStep())).rejects.toMatchObject(
			badCode
		);
		vi.setSystemTime(Date.now() + 30_000);
		const next = await totp();
		await verifySecondFactor(auth, { code: next }, await secondStep());
		await expect(verifySecondFactor(auth, { code: next }, await secondStep())).rejects.toMatchObject(badCode);
		// A used code is refused before the library checks it, so it does not reset the count of
		// failed codes that locks the second step.
		const failures = async () =>
			(
				await h.db
					.select({ n: twoFactor.failedVerificationCount })
					.from(twoFactor)
					.where(eq(twoFactor.userId, me.id))
			)[0]!.n;
		const pending = await secondStep();
		await expect(verifySecondFactor(auth, { code: '000000' }, pending)).rejects.toMatchObject(badCode);
		expect(await failures()).toBe(1);
		await expect(verifySecondFactor(auth, { code: next }, pending)).rejects.toMatchObject(badCode);
		expect(await failures()).toBe(1);
	});

	it('keeps only a hash of a password-reset token, and the mailed link still works', async () => {
		const me = await aPerson(auth, h.db, 'author');
		expect(
			await requestPasswordReset(
				auth,
				throttle,
				{ email: me.email },
				client('192.0.2.44'),
				`${testOrigin}/reset-password/new`
			)
		).toBe(true);
		const mail = sent.findLast((m) => m.to === me.email)!;
		const link = /https?:\/\/\S+/.exec(mail.text)![0];
		const token = new URL(link).pathname.split('/').at(-1)!;
		expect(token.length).toBeGreaterThan(16);
		const stored = JSON.stringify(await h.db.select().from(verification));
		expect(stored).not.toContain(token);
		const followed = await auth.handler(new Request(link, { headers: { 'x-client-ip': '192.0.2.44' } }));
		expect(followed.status).toBe(302);
		expect(new URL(followed.headers.get('location')!).searchParams.get('token')).toBe(token);
		await choosePassword(auth, { token, password: 'ett nytt och långt lösenord' });
		await aSession(auth, { ...me, password: 'ett nytt och långt lösenord' });
	});

	it('limits password-reset mails in one place: five per address on the form, no other way to ask', async () => {
		const me = await aPerson(auth, h.db, 'author');
		const ask = () =>
			requestPasswordReset(
				auth,
				throttle,
				{ email: me.email },
				client('192.0.2.45'),
				`${testOrigin}/reset-password/new`
			);
		for (let i = 0; i < 5; i++) expect(await ask()).toBe(true);
		expect(await ask()).toBe(false);
		expect((await direct('POST', '/request-password-reset', { body: { email: me.email } })).status).toBe(404);
	});

	it('reads the role afresh on each request: someone made an editor must set up two-step verification at once', async () => {
		const me = await aPerson(auth, h.db, 'reader');
		const { headers } = await aSession(auth, me);
		const before = await currentUser(auth, headers);
		expect(mustSetUpSecondFactor(before, '/partnerships/new')).toBe(false);
		await setRole(h.db, admin, { user: me.id, role: 'editor' });
		const after = await currentUser(auth, headers);
		expect(after).toMatchObject({ role: 'editor', twoFactorEnabled: false });
		// Every page, action and endpoint, but what it takes to set it up (and to leave).
		for (const path of [
			'/',
			'/admin',
			'/admin/topics',
			'/partnerships/new',
			'/partnerships/horby-peja/edit',
			'/api/v1/articles',
			'/find-a-partner/profile',
			'/accountant'
		])
			expect(mustSetUpSecondFactor(after, path), path).toBe(true);
		for (const path of [
			'/account',
			'/account/two-factor',
			'/account/data',
			'/account/__data.json',
			'/sign-out'
		])
			expect(mustSetUpSecondFactor(after, path), path).toBe(false);
		// Authors and readers need none; an editor with it set up passes.
		expect(mustSetUpSecondFactor({ ...after!, role: 'author' }, '/admin')).toBe(false);
		expect(mustSetUpSecondFactor({ ...after!, twoFactorEnabled: true }, '/admin')).toBe(false);
		expect(mustSetUpSecondFactor(null, '/admin')).toBe(false);
	});

	it('forgets used codes and counters whose time is over, and keeps those still counting', async () => {
		const hourAgo = new Date(Date.now() - 2 * 3_600_000);
		const soon = new Date(Date.now() + 60_000);
		await h.db.insert(signInThrottle).values([
			{ key: 'totp-used:old', points: 1, expire: hourAgo },
			{ key: 'account:still-counting', points: 3, expire: soon }
		]);
		await forgetExpired(h.db);
		const left = (await h.db.select({ key: signInThrottle.key }).from(signInThrottle)).map((r) => r.key);
		expect(left).toContain('account:still-counting');
		expect(left).not.toContain('totp-used:old');
	});
});
