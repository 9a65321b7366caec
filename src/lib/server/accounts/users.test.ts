import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import { aPerson, aTestAuth, testOrigin, type TestPerson } from '../test/factories/accounts.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { resetMailTransport, sendMail } from '../kernel/mail.ts';
import { runCommand } from '../kernel/write.ts';
import type { Auth } from './auth.ts';
import { createInvitedAccount, inviteUser, setDisabled, setRole } from './commands.ts';
import { listAuditLog, listUsers } from './queries.ts';
import { accountsPolicy } from './policy.ts';
import { account, session, user } from './schema.ts';

describe.each(testDatabases)('managing users on $name', (database) => {
	let h: DatabaseHandle;
	let mail: TestMailServer;
	let auth: Auth;
	let admin: TestPerson;
	let editor: TestPerson;
	const setPassword = `${testOrigin}/reset-password/new`;

	const auditRows = (action: string, subject: string) =>
		h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, action), eq(auditLog.subject, subject)));

	beforeAll(async () => {
		h = await database.open();
		mail = await startTestMailServer();
		process.env.SMTP_URL = mail.url;
		resetMailTransport();
		auth = aTestAuth(h.db, sendMail);
		admin = await aPerson(auth, h.db, 'admin', { email: 'chef@example.se' });
		editor = await aPerson(auth, h.db, 'editor', { email: 'red@example.se' });
	});
	afterAll(async () => {
		resetMailTransport();
		delete process.env.SMTP_URL;
		await mail?.close();
		await h?.close();
	});

	it('refuses everyone but admins, and the signed out', async () => {
		await expect(listUsers(h.db, editor)).rejects.toThrow(ForbiddenError);
		await expect(listUsers(h.db, null)).rejects.toMatchObject({ signInRequired: true });
		await expect(setRole(h.db, editor, { user: admin.id, role: 'reader' })).rejects.toThrow(ForbiddenError);
		await expect(setDisabled(h.db, editor, { user: admin.id, disabled: 'true' })).rejects.toThrow(
			ForbiddenError
		);
		await expect(
			inviteUser(auth, h.db, editor, { email: 'x@example.se', name: 'X', role: 'admin' }, setPassword)
		).rejects.toThrow(ForbiddenError);
		await expect(listAuditLog(h.db, editor)).rejects.toThrow(ForbiddenError);
		// The demo's participants (example.org) are in the prepared database too; these are this file's.
		const listed = (await listUsers(h.db, admin))
			.map((u) => u.email)
			.filter((e) => e.endsWith('@example.se'));
		expect(listed.sort()).toEqual(['chef@example.se', 'red@example.se']);
	});

	it('invites by mail; the person chooses a password through the link and can then sign in', async () => {
		const { userId, email } = await inviteUser(
			auth,
			h.db,
			admin,
			{ email: ' Ny.Skribent@example.se ', name: 'Ny Skribent', role: 'author' },
			setPassword
		);
		expect(email).toBe('ny.skribent@example.se');
		const [row] = await auditRows('user.invite', `user:${userId}`);
		expect(row).toMatchObject({ actorId: admin.id, after: { email, role: 'author' } });
		const message = await mail.next('ny.skribent@example.se');
		expect(message.subject).toBe('Du är inbjuden till Partnerskap för lokal demokrati');
		// Until then the account has no password, and no password signs in to it.
		const [credential] = await h.db.select().from(account).where(eq(account.userId, userId));
		expect(credential).toMatchObject({ providerId: 'credential', password: null });
		for (const password of ['ett gissat lösenord', 'min egen långa lösenfras'])
			await expect(auth.api.signInEmail({ body: { email, password } })).rejects.toMatchObject({
				body: { code: 'INVALID_EMAIL_OR_PASSWORD' }
			});
		const redirect = await auth.handler(new Request(message.links[0]!));
		const token = new URL(redirect.headers.get('location')!).searchParams.get('token')!;
		await auth.api.resetPassword({ body: { token, newPassword: 'min egen långa lösenfras' } });
		const signedIn = await auth.api.signInEmail({
			body: { email: 'ny.skribent@example.se', password: 'min egen långa lösenfras' }
		});
		expect(signedIn.user.id).toBe(userId);
		expect(signedIn.user.emailVerified).toBe(true);
		// Choosing the password is on the record too.
		expect(await auditRows('auth.password-reset', `user:${userId}`)).toHaveLength(1);
		await expect(
			inviteUser(
				auth,
				h.db,
				admin,
				{ email: 'ny.skribent@example.se', name: 'Igen', role: 'author' },
				setPassword
			)
		).rejects.toMatchObject({ problems: [{ field: 'email', code: 'emailTaken' }] });
	});

	it('names every bad field of an invitation at once, with the shared email check', async () => {
		await expect(
			inviteUser(auth, h.db, admin, { email: 'inte-en-adress', name: '  ', role: 'owner' }, setPassword)
		).rejects.toMatchObject({
			problems: [
				{ field: 'email', code: 'invalidEmail' },
				{ field: 'name', code: 'required' },
				{ field: 'role', code: 'invalidRole' }
			]
		});
	});

	it('makes an invited account inside a caller’s transaction: all or nothing, the mail after commit', async () => {
		// A coordinator (a reader) invites a colleague, as "invite to a partnership" does.
		const coordinator = await aPerson(auth, h.db, 'reader');
		const invite = { email: 'kollega@example.se', name: 'Kollega', role: 'reader' };
		await expect(
			runCommand(h.db, coordinator, {
				rule: accountsPolicy.manageOwnAccount,
				parse: () => null,
				work: async (tx) => {
					await createInvitedAccount(auth, tx, coordinator, invite, setPassword);
					throw new Error('the partnership step failed');
				}
			})
		).rejects.toThrow('the partnership step failed');
		// Rolled back together: no account, no audit row.
		expect(await h.db.select().from(user).where(eq(user.email, invite.email))).toEqual([]);
		const invitedRows = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.invite'));
		expect(invitedRows.map((r) => (r.after as { email: string }).email)).not.toContain(invite.email);

		const invitation = await runCommand(h.db, coordinator, {
			rule: accountsPolicy.manageOwnAccount,
			parse: () => null,
			work: async (tx) => ({
				result: await createInvitedAccount(auth, tx, coordinator, invite, setPassword),
				audit: { action: 'test.partnership-access', subject: 'partnership:1' },
				public: false
			})
		});
		await invitation.send();
		expect((await mail.next('kollega@example.se')).subject).toBe(
			'Du är inbjuden till Partnerskap för lokal demokrati'
		);
		const [row] = await auditRows('user.invite', `user:${invitation.userId}`);
		expect(row).toMatchObject({ actorId: coordinator.id, after: { email: invite.email, role: 'reader' } });
		// Only admins give any other role.
		await expect(
			createInvitedAccount(
				auth,
				h.db,
				coordinator,
				{ ...invite, email: 'x@example.se', role: 'editor' },
				setPassword
			)
		).rejects.toThrow(ForbiddenError);
		await expect(createInvitedAccount(auth, h.db, null, invite, setPassword)).rejects.toMatchObject({
			signInRequired: true
		});
	});

	it('changes roles with a before/after audit row, but never removes the last admin', async () => {
		await setRole(h.db, admin, { user: editor.id, role: 'author' });
		const [row] = await auditRows('user.role', `user:${editor.id}`);
		expect(row).toMatchObject({ actorId: admin.id, before: { role: 'editor' }, after: { role: 'author' } });
		// The same role again changes nothing and logs nothing.
		await setRole(h.db, admin, { user: editor.id, role: 'author' });
		expect(await auditRows('user.role', `user:${editor.id}`)).toHaveLength(1);
		await expect(setRole(h.db, admin, { user: admin.id, role: 'editor' })).rejects.toMatchObject({
			problems: [{ field: 'role', code: 'lastAdmin' }]
		});
		await expect(setRole(h.db, admin, { user: editor.id, role: 'owner' })).rejects.toThrow(ValidationError);
		await expect(setRole(h.db, admin, { user: 'no-such-user', role: 'author' })).rejects.toThrow(
			NotFoundError
		);
		await expect(setRole(h.db, admin, { user: "'; drop", role: 'author' })).rejects.toMatchObject({
			problems: [{ field: 'user', code: 'unknownUser' }]
		});
	});

	it('disabling a user ends their sessions at once and refuses new sign-ins; enabling lets them back', async () => {
		await auth.api.signInEmail({ body: { email: editor.email, password: editor.password } });
		expect((await h.db.select().from(session).where(eq(session.userId, editor.id))).length).toBeGreaterThan(
			0
		);
		await setDisabled(h.db, admin, { user: editor.id, disabled: 'true' });
		expect(await h.db.select().from(session).where(eq(session.userId, editor.id))).toEqual([]);
		await expect(
			auth.api.signInEmail({ body: { email: editor.email, password: editor.password } })
		).rejects.toMatchObject({ body: { code: 'BANNED_USER' } });
		await expect(setDisabled(h.db, admin, { user: admin.id, disabled: 'true' })).rejects.toMatchObject({
			problems: [{ field: 'user', code: 'disableSelf' }]
		});
		await setDisabled(h.db, admin, { user: editor.id, disabled: 'false' });
		const back = await auth.api.signInEmail({ body: { email: editor.email, password: editor.password } });
		expect(back.user.id).toBe(editor.id);
		const [row] = await h.db.select({ banned: user.banned }).from(user).where(eq(user.id, editor.id));
		expect(row!.banned).toBe(false);
		expect((await auditRows('user.disable', `user:${editor.id}`))[0]).toMatchObject({
			before: { disabled: false },
			after: { disabled: true }
		});
	});

	it('reads the audit log newest first, 50 a page, with the actor’s name', async () => {
		const first = await listAuditLog(h.db, admin, 1);
		expect(first.rows.length).toBeGreaterThan(0);
		expect(first.rows[0]!.at >= first.rows.at(-1)!.at).toBe(true);
		const role = first.rows.find((r) => r.action === 'user.role');
		expect(role?.actorName).toBe(admin.name);
	});
});
