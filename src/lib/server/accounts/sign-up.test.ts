import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { cookiesOf } from '../test/cookies.ts';
import { aPerson, testOrigin } from '../test/factories/accounts.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { problemsIn } from '../kernel/http.ts';
import { auditLog } from '../kernel/schema.ts';
import { resetMailTransport, sendMail } from '../kernel/mail.ts';
import { createAuth, type Auth } from './auth.ts';
import { signIn } from './sign-in.ts';
import { signUp } from './sign-up.ts';
import { createSignInThrottle, signUpsPerClient, signUpsPerEmail, type SignInThrottle } from './throttle.ts';
import { account, user } from './schema.ts';

/**
 * Residents sign themselves up (issue 10): a reader with a confirmed address, whatever the form
 * says, and a form that tells nobody which addresses have accounts.
 */
describe.each(testDatabases)('signing up on $name', (database) => {
	let h: DatabaseHandle;
	let mail: TestMailServer;
	let auth: Auth;
	let throttle: SignInThrottle;
	let clients = 0;
	/** A client address of its own for each test, so that one test's count does not limit another. */
	const aClient = () => ({ ip: `198.51.100.${++clients}`, userAgent: 'Testläsaren/1.0' });
	const afterVerification = '/en/account?welcome';
	const resident = (tag: string, extra: Record<string, string> = {}) => ({
		displayName: `Invånare ${tag}`,
		email: `invanare-${tag}@example.se`,
		password: `ett långt lösenord för ${tag}`,
		lang: 'sv',
		...extra
	});
	const rowOf = async (email: string) => (await h.db.select().from(user).where(eq(user.email, email)))[0];
	/** Follows a link from a mail through the auth endpoints, as a browser would, up to the redirect. */
	const follow = (link: string) =>
		auth.handler(new Request(link, { headers: { 'x-client-ip': '192.0.2.60' } }));

	beforeAll(async () => {
		h = await database.open();
		mail = await startTestMailServer();
		process.env.SMTP_URL = mail.url;
		resetMailTransport();
		auth = createAuth({ db: h.db, baseURL: testOrigin, secret: 'test-secret-'.repeat(4), sendMail });
		throttle = createSignInThrottle(h.db);
	});
	afterAll(async () => {
		resetMailTransport();
		delete process.env.SMTP_URL;
		await mail?.close();
		await h?.close();
	});

	it('makes a reader who confirms the address by the mailed link, in the language chosen, before signing in', async () => {
		const me = resident('emma', { lang: 'en', email: ' Emma.Invanare@Example.se ' });
		const answer = await signUp(auth, throttle, h.db, me, aClient(), afterVerification);
		expect(answer).toEqual({ ok: true, email: 'emma.invanare@example.se' });

		const row = await rowOf('emma.invanare@example.se');
		expect(row).toMatchObject({
			name: 'Invånare emma',
			role: 'reader',
			emailVerified: false,
			locale: 'en',
			notificationMail: 'daily',
			banned: false
		});
		// The password is better-auth's hash, never the text.
		const [credential] = await h.db.select().from(account).where(eq(account.userId, row!.id));
		expect(credential!.password).not.toContain(me.password);

		const verify = await mail.next('emma.invanare@example.se');
		expect(verify.subject).toBe('Confirm your email address');
		expect(verify.text).toContain('Hello Invånare emma');

		// No way in before the address is confirmed (and signing in sends the link again).
		const client = aClient();
		expect(
			await signIn(auth, throttle, h.db, { email: 'emma.invanare@example.se', password: me.password }, client)
		).toEqual({ ok: false, reason: 'unverified' });
		await mail.next('emma.invanare@example.se');

		const followed = await follow(verify.links[0]!);
		expect(followed.status).toBe(302);
		expect(followed.headers.get('location')).toBe(afterVerification);
		const cookie = cookiesOf(followed.headers);
		const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
		expect(session?.user).toMatchObject({
			email: 'emma.invanare@example.se',
			emailVerified: true,
			role: 'reader'
		});

		const signedIn = await signIn(
			auth,
			throttle,
			h.db,
			{ email: 'emma.invanare@example.se', password: me.password },
			client
		);
		expect(signedIn).toMatchObject({ ok: true, secondFactor: false });

		const [logged] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'user.sign-up'), eq(auditLog.actorId, row!.id)));
		expect(logged).toMatchObject({ subject: `user:${row!.id}`, after: { role: 'reader', locale: 'en' } });
	});

	it('never makes anything but an unconfirmed reader, whatever else the form or a direct call sends', async () => {
		for (const role of ['admin', 'editor', 'author']) {
			const form = resident(`roll-${role}`, { role, emailVerified: 'true', banned: 'false', locale: 'en' });
			await signUp(auth, throttle, h.db, form, aClient(), afterVerification);
			expect(await rowOf(form.email)).toMatchObject({ role: 'reader', emailVerified: false, locale: 'sv' });
			await mail.next(form.email);
		}
		// The library itself refuses a role, even called from the server.
		await expect(
			auth.api.signUpEmail({
				body: {
					name: 'Direkt',
					email: resident('direkt').email,
					password: resident('direkt').password,
					role: 'admin'
				} as never
			})
		).rejects.toMatchObject({ body: { code: 'FIELD_NOT_ALLOWED' } });
		expect(await rowOf(resident('direkt').email)).toBeUndefined();
		// …and over HTTP its sign-up endpoint is not there at all.
		const res = await auth.handler(
			new Request(`${testOrigin}/api/auth/sign-up/email`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: testOrigin },
				body: JSON.stringify({
					name: 'Http',
					email: resident('http').email,
					password: resident('http').password
				})
			})
		);
		expect(res.status).toBe(404);
		expect(await rowOf(resident('http').email)).toBeUndefined();
	});

	it('answers an address that has an account as a new one, and tells its owner in their language', async () => {
		const owner = await aPerson(auth, h.db, 'author', {
			email: 'finns-redan@example.se',
			name: 'Frida Finns'
		});
		const before = await rowOf(owner.email);
		const answer = await signUp(
			auth,
			throttle,
			h.db,
			resident('dubblett', {
				email: 'Finns-Redan@example.se',
				password: 'ett helt annat långt lösen',
				lang: 'en'
			}),
			aClient(),
			afterVerification
		);
		expect(answer).toEqual({ ok: true, email: 'finns-redan@example.se' });
		// Nothing changed: the same row, role, name and password.
		expect(await rowOf(owner.email)).toEqual(before);
		const told = await mail.next(owner.email);
		expect(told.subject).toBe('Någon försökte skapa ett konto med din adress');
		expect(told.text).toContain('Hej Frida Finns!');
		expect(told.links).toEqual([`${testOrigin}/sign-in`, `${testOrigin}/reset-password`]);
		expect(
			(await auth.api.signInEmail({ body: { email: owner.email, password: owner.password } })).user.id
		).toBe(owner.id);
		const [logged] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'auth.sign-up-existing'), eq(auditLog.subject, `email:${owner.email}`)));
		expect(logged?.actorId).toBeNull();
	});

	it('names every bad field at once, in the reader’s words, and writes nothing', async () => {
		const bad = { displayName: '   ', email: 'inte-en-adress', password: 'kort', lang: 'de' };
		const error = await signUp(auth, throttle, h.db, bad, aClient(), afterVerification).catch((e) => e);
		expect(error).toBeInstanceOf(ValidationError);
		expect(problemsIn(error, 'sv')).toEqual([
			{ field: 'displayName', message: 'Namn som visas: Måste fyllas i.' },
			{ field: 'email', message: 'E-postadress: Ange en giltig e-postadress.' },
			{ field: 'password', message: 'Lösenord: Lösenordet måste ha minst 12 tecken.' },
			{ field: 'lang', message: 'Språk för e-post och sidor: Språket måste vara sv eller en.' }
		]);
		const common = resident('vanlig', { password: 'password1234' });
		await expect(signUp(auth, throttle, h.db, common, aClient(), afterVerification)).rejects.toMatchObject({
			problems: [{ field: 'password', code: 'password-common' }]
		});
		const named = resident('namn', { password: 'mitt partnerskap lösenord' });
		await expect(signUp(auth, throttle, h.db, named, aClient(), afterVerification)).rejects.toMatchObject({
			problems: [{ field: 'password', code: 'password-context' }]
		});
		expect(await rowOf(common.email)).toBeUndefined();
		expect(await rowOf(named.email)).toBeUndefined();
	});

	it('limits mails to one address (same answer, no more mail) and sign-ups from one client address', async () => {
		const target = resident('mal');
		const client = aClient();
		for (let i = 0; i < signUpsPerEmail; i++) {
			const from = i === 0 ? client : aClient();
			expect(await signUp(auth, throttle, h.db, target, from, afterVerification)).toMatchObject({ ok: true });
			await mail.next(target.email);
		}
		// Past the limit: the same answer, and nothing sent (the next mail to arrive is a later one).
		expect(await signUp(auth, throttle, h.db, target, aClient(), afterVerification)).toEqual({
			ok: true,
			email: target.email
		});
		const busy = aClient();
		for (let i = 0; i < signUpsPerClient; i++) {
			await signUp(auth, throttle, h.db, resident(`flod-${i}`), busy, afterVerification);
			await mail.next(resident(`flod-${i}`).email);
		}
		expect(await signUp(auth, throttle, h.db, resident('flod-sista'), busy, afterVerification)).toEqual({
			ok: false,
			reason: 'tooMany'
		});
		expect(await rowOf(resident('flod-sista').email)).toBeUndefined();
		// The address over its limit got nothing more. A sign-up sends its mail before it answers (the
		// test server has it in its inbox by then), so a message sent to the address now is the next to
		// arrive only if none of the sign-ups past the limit sent one: no waiting out a timeout.
		await signUp(auth, throttle, h.db, target, aClient(), afterVerification);
		await sendMail({ to: target.email, subject: 'Kontroll efter gränsen', text: 'Kontroll.' });
		expect((await mail.next(target.email)).subject).toBe('Kontroll efter gränsen');
	}, 30_000);
});
