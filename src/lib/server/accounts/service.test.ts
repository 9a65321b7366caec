import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { resetMailTransport, sendMail } from '../kernel/mail.ts';
import { createAuth, type Auth } from './auth.ts';
import { createStaffUser, inviteUser, listUsers, setDisabled, setRole } from './service.ts';
import { session, user } from './schema.ts';

const baseURL = 'http://localhost:3998';

describe.each(testDatabases)('managing users on $name', (database) => {
	let h: DatabaseHandle;
	let mail: TestMailServer;
	let auth: Auth;
	let admin: { id: string; role: 'admin' };
	let editor: { id: string; role: 'editor' };

	beforeAll(async () => {
		h = await database.open();
		mail = await startTestMailServer();
		process.env.SMTP_URL = mail.url;
		resetMailTransport();
		auth = createAuth({ db: h.db, baseURL, secret: 'another-test-secret-'.repeat(3), sendMail });
		admin = (await createStaffUser(auth, h.db, {
			email: 'chef@example.se',
			name: 'Chef',
			role: 'admin',
			password: 'chefens mycket långa lösenord'
		})) as typeof admin;
		editor = (await createStaffUser(auth, h.db, {
			email: 'red@example.se',
			name: 'Red',
			role: 'editor',
			password: 'redaktörens mycket långa lösen'
		})) as typeof editor;
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
		await expect(setRole(h.db, editor, admin.id, 'reader')).rejects.toThrow(ForbiddenError);
		await expect(setDisabled(h.db, editor, admin.id, true)).rejects.toThrow(ForbiddenError);
		await expect(
			inviteUser(auth, h.db, editor, { email: 'x@example.se', name: 'X', role: 'admin' }, `${baseURL}/set`)
		).rejects.toThrow(ForbiddenError);
		expect((await listUsers(h.db, admin)).map((u) => u.email).sort()).toEqual([
			'chef@example.se',
			'red@example.se'
		]);
	});

	it('invites by mail; the person chooses a password through the link and can then sign in', async () => {
		const id = await inviteUser(
			auth,
			h.db,
			admin,
			{ email: 'Ny.Skribent@example.se', name: 'Ny Skribent', role: 'author' },
			`${baseURL}/reset-password/new`
		);
		const message = await mail.next('ny.skribent@example.se');
		expect(message.subject).toBe('Du är inbjuden till Partnerskap för lokal demokrati');
		const redirect = await auth.handler(new Request(message.links[0]!));
		const token = new URL(redirect.headers.get('location')!).searchParams.get('token')!;
		await auth.api.resetPassword({ body: { token, newPassword: 'min egen långa lösenfras' } });
		const signedIn = await auth.api.signInEmail({
			body: { email: 'ny.skribent@example.se', password: 'min egen långa lösenfras' }
		});
		expect(signedIn.user.id).toBe(id);
		expect(signedIn.user.emailVerified).toBe(true);
		await expect(
			inviteUser(
				auth,
				h.db,
				admin,
				{ email: 'ny.skribent@example.se', name: 'Igen', role: 'author' },
				baseURL
			)
		).rejects.toThrow(ValidationError);
	});

	it('changes roles with a before/after audit row, but never removes the last admin', async () => {
		await setRole(h.db, admin, editor.id, 'author');
		const [row] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'user.role'), eq(auditLog.subject, `user:${editor.id}`)));
		expect(row).toMatchObject({ actorId: admin.id, before: { role: 'editor' }, after: { role: 'author' } });
		await expect(setRole(h.db, admin, admin.id, 'editor')).rejects.toMatchObject({
			problems: [{ field: 'role', code: 'lastAdmin' }]
		});
		await expect(setRole(h.db, admin, editor.id, 'owner' as never)).rejects.toThrow(ValidationError);
	});

	it('disabling a user ends their sessions at once and refuses new sign-ins; enabling lets them back', async () => {
		await auth.api.signInEmail({
			body: { email: 'red@example.se', password: 'redaktörens mycket långa lösen' }
		});
		expect((await h.db.select().from(session).where(eq(session.userId, editor.id))).length).toBeGreaterThan(
			0
		);
		await setDisabled(h.db, admin, editor.id, true);
		expect(await h.db.select().from(session).where(eq(session.userId, editor.id))).toEqual([]);
		await expect(
			auth.api.signInEmail({ body: { email: 'red@example.se', password: 'redaktörens mycket långa lösen' } })
		).rejects.toMatchObject({ body: { code: 'BANNED_USER' } });
		await expect(setDisabled(h.db, admin, admin.id, true)).rejects.toThrow(ValidationError);
		await setDisabled(h.db, admin, editor.id, false);
		const back = await auth.api.signInEmail({
			body: { email: 'red@example.se', password: 'redaktörens mycket långa lösen' }
		});
		expect(back.user.id).toBe(editor.id);
		const [row] = await h.db.select({ banned: user.banned }).from(user).where(eq(user.id, editor.id));
		expect(row!.banned).toBe(false);
	});
});
