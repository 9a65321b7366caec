import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { cookiesOf } from '../test/cookies.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ValidationError } from '../kernel/errors.ts';
import { resetMailTransport, sendMail } from '../kernel/mail.ts';
import { createAuth, type Auth } from './auth.ts';
import { createStaffUser } from './commands.ts';
import { user } from './schema.ts';

const baseURL = 'http://localhost:3999';

/** Follows a link from a mail through the auth endpoints, as a browser would, up to the redirect. */
async function follow(auth: Auth, link: string): Promise<Response> {
	return auth.handler(new Request(link, { headers: { 'x-client-ip': '127.0.0.1' } }));
}

describe.each(testDatabases)('accounts on $name', (database) => {
	let h: DatabaseHandle;
	let mail: TestMailServer;
	let auth: Auth;

	beforeAll(async () => {
		h = await database.open();
		mail = await startTestMailServer();
		process.env.SMTP_URL = mail.url;
		resetMailTransport();
		auth = createAuth({ db: h.db, baseURL, secret: 'test-secret-'.repeat(4), sendMail });
	});
	afterAll(async () => {
		resetMailTransport();
		delete process.env.SMTP_URL;
		await mail?.close();
		await h?.close();
	});

	it('creates staff with a role; refuses short passwords, bad addresses and duplicates', async () => {
		const { role } = await createStaffUser(auth, h.db, {
			email: 'Redaktor@Example.se',
			name: 'Rut Redaktör',
			role: 'editor',
			password: 'en lång lösenfras för rut'
		});
		expect(role).toBe('editor');
		const bad = [
			{ email: 'x@example.se', name: 'X', role: 'author', password: 'kort' },
			{ email: 'not-an-address', name: 'X', role: 'author', password: 'tillräckligt långt lösen' },
			{ email: 'y@example.se', name: 'Y', role: 'superuser', password: 'tillräckligt långt lösen' },
			{ email: 'z@example.se', name: 'Z', role: 'author', password: 'x'.repeat(129) },
			{ email: 'redaktor@example.se', name: 'Again', role: 'author', password: 'tillräckligt långt lösen' }
		];
		for (const input of bad) {
			await expect(createStaffUser(auth, h.db, input as never)).rejects.toThrow(ValidationError);
		}
		// The same new address saved by another change while this one is between its check and its
		// insert (as two runs of `admin:create` may): refused as taken, not a database error. On
		// PostgreSQL the other change holds its row uncommitted until this one waits on it; PGlite
		// has one connection, so this one's check comes after the other's commit.
		const sameAddress = {
			email: 'samtidigt@example.se',
			name: 'Två',
			role: 'author',
			password: 'tillräckligt långt lösen'
		};
		let second: Promise<unknown> | undefined;
		await h.db.transaction(async (tx) => {
			const now = new Date();
			await tx.insert(user).values({
				id: 'samtidigt',
				email: sameAddress.email,
				name: 'Ett',
				role: 'author',
				emailVerified: true,
				createdAt: now,
				updatedAt: now
			});
			second = createStaffUser(auth, h.db, sameAddress).catch((error: unknown) => error);
			if (database.name === 'postgres') await waitForLockWait(h);
		});
		expect(await second).toMatchObject({ problems: [{ field: 'email', code: 'emailTaken' }] });
		// 128 characters, pasted with spaces and symbols, is fine and compared exactly.
		const long = 'ö '.repeat(64);
		await createStaffUser(auth, h.db, {
			email: 'lang@example.se',
			name: 'L',
			role: 'author',
			password: long
		});
		await expect(
			auth.api.signInEmail({ body: { email: 'lang@example.se', password: long.slice(0, 127) } })
		).rejects.toMatchObject({ body: { code: 'INVALID_EMAIL_OR_PASSWORD' } });
		expect(
			(await auth.api.signInEmail({ body: { email: 'lang@example.se', password: long } })).user.email
		).toBe('lang@example.se');
	});

	it('answers a wrong password and an unknown address the same way, and logs both', async () => {
		const wrong = auth.api.signInEmail({
			body: { email: 'redaktor@example.se', password: 'fel lösenord helt och hållet' }
		});
		const unknown = auth.api.signInEmail({
			body: { email: 'ingen@example.se', password: 'fel lösenord helt och hållet' }
		});
		const codes = await Promise.all(
			[wrong, unknown].map((p) =>
				p.then(
					() => 'signed in',
					(e: { body?: { code?: string } }) => e.body?.code
				)
			)
		);
		expect(codes).toEqual(['INVALID_EMAIL_OR_PASSWORD', 'INVALID_EMAIL_OR_PASSWORD']);
		// A password the policy refuses, for an unknown address: hashed all the same, as a wrong one
		// is checked against a known address's hash, so the answer comes no sooner. (A hash at
		// better-auth's cost takes 40 ms or more on any current machine; the refusal alone, 3 ms.)
		const started = performance.now();
		await expect(
			auth.api.signInEmail({ body: { email: 'ingen@example.se', password: 'kort' } })
		).rejects.toBeDefined();
		expect(performance.now() - started).toBeGreaterThan(20);
		const log = await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(5);
		expect(log.filter((r) => r.action === 'auth.sign-in-failed').map((r) => r.subject)).toEqual(
			expect.arrayContaining(['email:redaktor@example.se', 'email:ingen@example.se'])
		);
		const ok = await auth.api.signInEmail({
			body: { email: 'redaktor@example.se', password: 'en lång lösenfras för rut' },
			returnHeaders: true
		});
		const session = await auth.api.getSession({ headers: new Headers({ cookie: cookiesOf(ok.headers) }) });
		expect(session?.user.role).toBe('editor');
		const [last] = await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
		expect(last).toMatchObject({ action: 'auth.sign-in', actorId: session!.user.id });
	});

	it('resets a password through the link in the mail, once, and ends the old sessions', async () => {
		const before = await auth.api.signInEmail({
			body: { email: 'redaktor@example.se', password: 'en lång lösenfras för rut' },
			returnHeaders: true
		});
		const oldCookie = cookiesOf(before.headers);
		await auth.api.requestPasswordReset({
			body: { email: 'redaktor@example.se', redirectTo: `${baseURL}/reset-password/new` }
		});
		const message = await mail.next('redaktor@example.se');
		expect(message.subject).toBe('Välj ett nytt lösenord');
		const link = message.links[0]!;
		const redirect = await follow(auth, link);
		expect(redirect.status).toBe(302);
		const token = new URL(redirect.headers.get('location')!).searchParams.get('token')!;
		expect(token).toBeTruthy();
		// The policy holds inside better-auth too, for every way a password is set.
		await expect(
			auth.api.resetPassword({ body: { token, newPassword: 'password1234' } })
		).rejects.toMatchObject({
			body: { code: 'PASSWORD_COMMON' }
		});
		await auth.api.resetPassword({ body: { token, newPassword: 'ett helt nytt lösenord för rut' } });
		// The same link does not work twice.
		await expect(
			auth.api.resetPassword({ body: { token, newPassword: 'ett tredje lösenord för rut' } })
		).rejects.toMatchObject({ body: { code: 'INVALID_TOKEN' } });
		expect(await auth.api.getSession({ headers: new Headers({ cookie: oldCookie }) })).toBeNull();
		const signedIn = await auth.api.signInEmail({
			body: { email: 'redaktor@example.se', password: 'ett helt nytt lösenord för rut' }
		});
		expect(signedIn.user.email).toBe('redaktor@example.se');
		// A reset for an unknown address says nothing either way and sends nothing.
		await auth.api.requestPasswordReset({ body: { email: 'ingen@example.se' } });
	});

	it('asks an unverified user to confirm the address by mail before signing in', async () => {
		await auth.api.createUser({
			body: {
				email: 'ny@example.se',
				name: 'Ny Person',
				password: 'ett långt lösenord för ny',
				role: 'author'
			}
		});
		await expect(
			auth.api.signInEmail({ body: { email: 'ny@example.se', password: 'ett långt lösenord för ny' } })
		).rejects.toMatchObject({ body: { code: 'EMAIL_NOT_VERIFIED' } });
		// The refused sign-in itself sends the link, as the sign-in page promises.
		expect((await mail.next('ny@example.se')).subject).toBe('Bekräfta din e-postadress');
		await auth.api.sendVerificationEmail({
			body: { email: 'ny@example.se', callbackURL: `${baseURL}/admin` }
		});
		const message = await mail.next('ny@example.se');
		expect(message.subject).toBe('Bekräfta din e-postadress');
		const verified = await follow(auth, message.links[0]!);
		expect(verified.status).toBe(302);
		expect(verified.headers.get('location')).toBe(`${baseURL}/admin`);
		expect(verified.headers.getSetCookie().join()).toContain('partnerskap.session_token=');
		const signedIn = await auth.api.signInEmail({
			body: { email: 'ny@example.se', password: 'ett långt lösenord för ny' }
		});
		expect(signedIn.user.emailVerified).toBe(true);
	});
});

/** Until a session of this database waits for a row lock (PostgreSQL only; 5 s at most). */
async function waitForLockWait(h: DatabaseHandle): Promise<void> {
	for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
		const [waiting] = await h.db
			.select({ n: sql<number>`count(*)::int` })
			.from(sql`pg_stat_activity`)
			.where(sql`datname = current_database() and wait_event_type = 'Lock'`);
		if (waiting!.n > 0) return;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error('No session waited for the uncommitted row within 5 s');
}
