import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { cookiesOf } from '../test/cookies.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { createAuth, type Auth } from './auth.ts';
import { createStaffUser } from './commands.ts';
import { currentUser, staffIdleMinutes } from './sessions.ts';
import { session } from './schema.ts';

describe.each(testDatabases)('session lifetimes on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	beforeAll(async () => {
		h = await database.open();
		auth = createAuth({
			db: h.db,
			baseURL: 'http://localhost:3997',
			secret: 'session-test-secret-'.repeat(3),
			sendMail: async () => {}
		});
		await createStaffUser(auth, h.db, {
			email: 'skr@example.se',
			name: 'Skr',
			role: 'author',
			password: 'skribentens långa lösenord'
		});
		await createStaffUser(auth, h.db, {
			email: 'las@example.se',
			name: 'Läs',
			role: 'reader',
			password: 'läsarens ganska långa lösen'
		});
	});
	afterAll(() => h?.close());

	async function signedIn(email: string, password: string) {
		const r = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
		return new Headers({ cookie: cookiesOf(r.headers) });
	}

	it('ends a staff session idle for longer than the limit, but not a reader’s', async () => {
		const staff = await signedIn('skr@example.se', 'skribentens långa lösenord');
		const reader = await signedIn('las@example.se', 'läsarens ganska långa lösen');
		expect((await currentUser(auth, staff))?.role).toBe('author');
		const idle = new Date(Date.now() - (staffIdleMinutes + 1) * 60_000);
		await h.db.update(session).set({ updatedAt: idle });
		expect(await currentUser(auth, staff)).toBeNull();
		expect((await currentUser(auth, reader))?.role).toBe('reader');
		// The idle staff session is gone from the database, not just refused.
		const left = await h.db.select({ userId: session.userId }).from(session);
		expect(left).toHaveLength(1);
	});

	it('ends any session older than the absolute lifetime, however active', async () => {
		const reader = await signedIn('las@example.se', 'läsarens ganska långa lösen');
		const user = await currentUser(auth, reader);
		await h.db
			.update(session)
			.set({ createdAt: new Date(Date.now() - 31 * 86_400_000), updatedAt: new Date() })
			.where(eq(session.id, user!.sessionId));
		expect(await currentUser(auth, reader)).toBeNull();
	});
});
