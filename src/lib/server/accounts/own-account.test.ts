import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createOTP } from '@better-auth/utils/otp';
import { base32 } from '@better-auth/utils/base32';
import { testDatabases } from '../test/databases.ts';
import { aPerson, aSession, aTestAuth, type TestPerson } from '../test/factories/accounts.ts';
import {
	anOrganization,
	referenceOrganization,
	type TestOrganization
} from '../test/factories/organizations.ts';
import { organizationAccessRequest, organizationMember } from '../organizations/schema.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { Auth } from './auth.ts';
import { confirmTwoFactor, startTwoFactor } from './commands.ts';
import { deleteOwnAccount, endOtherSessions, endSession } from './own-account/commands.ts';
import { exportUserData } from './own-account/queries.ts';
import { listOwnSessions } from './queries.ts';
import { userDataView } from './views.ts';
import { account, session, user, verification } from './schema.ts';

describe.each(testDatabases)('one’s own account on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;

	const auditRows = (action: string, actorId: string) =>
		h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, action), eq(auditLog.actorId, actorId)));

	beforeAll(async () => {
		h = await database.open();
		auth = aTestAuth(h.db);
	});
	afterAll(() => h?.close());

	it('lists one’s sessions, this one first; ends one, then all the others, each with an audit row', async () => {
		const me = await aPerson(auth, h.db, 'reader');
		const laptop = await aSession(auth, me, '192.0.2.10');
		const phone = await aSession(auth, me, '192.0.2.11');
		const tablet = await aSession(auth, me, '192.0.2.12');
		const someoneElse = await aSession(auth, await aPerson(auth, h.db, 'author'));

		const listed = await listOwnSessions(h.db, me, laptop.sessionId);
		expect(listed.map((s) => s.id).sort()).toEqual(
			[laptop.sessionId, phone.sessionId, tablet.sessionId].sort()
		);
		// A user agent nobody knows is named by nothing; a common one by its browser and system.
		expect(listed[0]).toMatchObject({
			id: laptop.sessionId,
			current: true,
			userAgent: 'Testläsaren/1.0',
			browser: null,
			system: null
		});
		await h.db
			.update(session)
			.set({
				userAgent:
					'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'
			})
			.where(eq(session.id, phone.sessionId));
		expect(
			(await listOwnSessions(h.db, me, laptop.sessionId)).find((s) => s.id === phone.sessionId)
		).toMatchObject({
			browser: 'Safari',
			system: 'iOS'
		});
		const tokens = await h.db.select({ token: session.token }).from(session).where(eq(session.userId, me.id));
		for (const { token } of tokens) expect(JSON.stringify(listed)).not.toContain(token);

		await endSession(h.db, me, { session: phone.sessionId });
		expect(await auth.api.getSession({ headers: phone.headers })).toBeNull();
		expect(await auth.api.getSession({ headers: laptop.headers })).not.toBeNull();
		expect((await auditRows('auth.session-end', me.id))[0]).toMatchObject({
			subject: `user:${me.id}`,
			after: { session: phone.sessionId }
		});
		// Someone else's session is not one's own to end, and says nothing about it.
		await expect(endSession(h.db, me, { session: someoneElse.sessionId })).rejects.toThrow(NotFoundError);
		expect(await auth.api.getSession({ headers: someoneElse.headers })).not.toBeNull();
		await expect(endSession(h.db, me, { session: '../x' })).rejects.toMatchObject({
			problems: [{ field: 'session', code: 'unknownSession' }]
		});
		await expect(endSession(h.db, null, { session: tablet.sessionId })).rejects.toMatchObject({
			signInRequired: true
		});

		const other = await aSession(auth, me, '192.0.2.13');
		expect(await endOtherSessions(h.db, me, laptop.sessionId)).toBe(2);
		expect(await auth.api.getSession({ headers: tablet.headers })).toBeNull();
		expect(await auth.api.getSession({ headers: other.headers })).toBeNull();
		expect(await auth.api.getSession({ headers: laptop.headers })).not.toBeNull();
		expect(await auth.api.getSession({ headers: someoneElse.headers })).not.toBeNull();
		const [ended] = await auditRows('auth.sessions-end-others', me.id);
		expect((ended!.after as { sessions: string[] }).sessions.sort()).toEqual(
			[tablet.sessionId, other.sessionId].sort()
		);
		expect((await listOwnSessions(h.db, me, laptop.sessionId)).map((s) => s.id)).toEqual([laptop.sessionId]);
	});

	it('turns on two-step verification with the first code, and logs it', async () => {
		const me = await aPerson(auth, h.db, 'editor');
		const { headers } = await aSession(auth, me);
		await expect(
			startTwoFactor(auth, me, { password: 'fel lösenord helt och hållet' }, headers)
		).rejects.toMatchObject({ problems: [{ field: 'password', code: 'wrongPassword' }] });
		const setup = await startTwoFactor(auth, me, { password: me.password }, headers);
		expect(setup.backupCodes).toHaveLength(10);
		expect(setup.totpURI).toContain(setup.secret);
		await expect(confirmTwoFactor(auth, h.db, me, { code: '000000' }, headers)).rejects.toMatchObject({
			problems: [{ field: 'code', code: 'wrongCode' }]
		});
		expect(await auditRows('auth.two-factor-enabled', me.id)).toEqual([]);
		const code = await createOTP(base32.decode(setup.secret)).totp();
		await confirmTwoFactor(auth, h.db, me, { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` }, headers);
		const [row] = await h.db.select({ on: user.twoFactorEnabled }).from(user).where(eq(user.id, me.id));
		expect(row!.on).toBe(true);
		expect(await auditRows('auth.two-factor-enabled', me.id)).toHaveLength(1);
		await expect(confirmTwoFactor(auth, h.db, null, { code }, headers)).rejects.toThrow(ForbiddenError);
	});

	describe('privacy', () => {
		let me: TestPerson;
		let org: TestOrganization;
		beforeAll(async () => {
			me = await aPerson(auth, h.db, 'author', { name: 'Maja Mig', email: 'mig@example.se' });
			await aSession(auth, me, '192.0.2.7');
			org = await anOrganization(h.db, { admins: [me.id] });
			const ale = await referenceOrganization(h.db, 'ale-kommun');
			await h.db
				.insert(organizationAccessRequest)
				.values({ userId: me.id, organizationId: ale.id, position: 'Samordnare' });
		});

		it('exports what is stored about the user, in the view’s shape, without any secret', async () => {
			const data = await exportUserData(h.db, me);
			expect(userDataView.parse(data)).toEqual(data);
			expect(data.profile).toMatchObject({ name: 'Maja Mig', email: 'mig@example.se', role: 'author' });
			expect(data.sessions[0]).toMatchObject({ ipAddress: '192.0.2.7', userAgent: 'Testläsaren/1.0' });
			expect(data.activity.map((a) => a.action)).toContain('auth.sign-in');
			// The organizations they work for, and what they asked to join, are theirs to see too.
			expect(data.organizations).toEqual([
				{ organization: org.slug, admin: true, since: expect.any(String) }
			]);
			expect(data.accessRequests).toEqual([
				expect.objectContaining({ organization: 'ale-kommun', position: 'Samordnare', status: 'pending' })
			]);
			const text = JSON.stringify(data);
			const [{ token }] = (await h.db
				.select({ token: session.token })
				.from(session)
				.where(eq(session.userId, me.id))
				.limit(1)) as [{ token: string }];
			const [{ hash }] = (await h.db
				.select({ hash: account.password })
				.from(account)
				.where(eq(account.userId, me.id))) as [{ hash: string }];
			expect(text).not.toContain(token);
			expect(text).not.toContain(hash);
			await expect(exportUserData(h.db, null)).rejects.toThrow(ForbiddenError);
		});

		it('deletes the account only with the password, erasing personal fields and every way in', async () => {
			await expect(deleteOwnAccount(h.db, me, { password: 'fel lösenord för maja' })).rejects.toThrow(
				ValidationError
			);
			await expect(deleteOwnAccount(h.db, me, {})).rejects.toMatchObject({
				problems: [{ field: 'password', code: 'wrongPassword' }]
			});
			// A reset link asked for just before must not outlive the account.
			await auth.api.requestPasswordReset({ body: { email: me.email, redirectTo: '/reset-password' } });
			expect(await h.db.select().from(verification).where(eq(verification.value, me.id))).toHaveLength(1);
			await deleteOwnAccount(h.db, me, { password: me.password });
			expect(await h.db.select().from(verification).where(eq(verification.value, me.id))).toEqual([]);
			const [row] = await h.db.select().from(user).where(eq(user.id, me.id));
			expect(row).toMatchObject({ name: '', email: `deleted-${me.id}@invalid`, banned: true });
			expect(await h.db.select().from(session).where(eq(session.userId, me.id))).toEqual([]);
			expect(await h.db.select().from(account).where(eq(account.userId, me.id))).toEqual([]);
			// No longer working for an organization, and no request left with their words in it.
			expect(
				await h.db.select().from(organizationMember).where(eq(organizationMember.userId, me.id))
			).toEqual([]);
			expect(
				await h.db.select().from(organizationAccessRequest).where(eq(organizationAccessRequest.userId, me.id))
			).toEqual([]);
			expect(await auditRows('user.delete-own-account', me.id)).toHaveLength(1);
			await expect(
				auth.api.signInEmail({ body: { email: 'mig@example.se', password: me.password } })
			).rejects.toMatchObject({ body: { code: 'INVALID_EMAIL_OR_PASSWORD' } });
		});
	});
});
