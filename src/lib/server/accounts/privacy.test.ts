import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { createAuth, type Auth } from './auth.ts';
import { createStaffUser } from './service.ts';
import { deleteOwnAccount, exportUserData } from './privacy.ts';
import { account, session, user } from './schema.ts';

describe.each(testDatabases)('privacy on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	let me: { id: string; role: 'author' };
	beforeAll(async () => {
		h = await database.open();
		auth = createAuth({
			db: h.db,
			baseURL: 'http://localhost:3996',
			secret: 'privacy-test-secret-'.repeat(3),
			sendMail: async () => {}
		});
		me = (await createStaffUser(auth, h.db, {
			email: 'mig@example.se',
			name: 'Maja Mig',
			role: 'author',
			password: 'majas mycket långa lösenord'
		})) as typeof me;
		await auth.api.signInEmail({
			body: { email: 'mig@example.se', password: 'majas mycket långa lösenord' },
			headers: new Headers({ 'x-client-ip': '192.0.2.7', 'user-agent': 'Testläsaren/1.0' })
		});
	});
	afterAll(() => h?.close());

	it('exports what is stored about the user, without any secret', async () => {
		const data = await exportUserData(h.db, me);
		expect(data.profile).toMatchObject({ name: 'Maja Mig', email: 'mig@example.se', role: 'author' });
		expect(data.sessions[0]).toMatchObject({ ipAddress: '192.0.2.7', userAgent: 'Testläsaren/1.0' });
		expect(data.activity.map((a) => a.action)).toContain('auth.sign-in');
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
		await expect(deleteOwnAccount(h.db, me, 'fel lösenord för maja')).rejects.toThrow(ValidationError);
		await deleteOwnAccount(h.db, me, 'majas mycket långa lösenord');
		const [row] = await h.db.select().from(user).where(eq(user.id, me.id));
		expect(row).toMatchObject({ name: '', email: `deleted-${me.id}@invalid`, banned: true });
		expect(await h.db.select().from(session).where(eq(session.userId, me.id))).toEqual([]);
		expect(await h.db.select().from(account).where(eq(account.userId, me.id))).toEqual([]);
		await expect(
			auth.api.signInEmail({ body: { email: 'mig@example.se', password: 'majas mycket långa lösenord' } })
		).rejects.toMatchObject({ body: { code: 'INVALID_EMAIL_OR_PASSWORD' } });
	});
});
