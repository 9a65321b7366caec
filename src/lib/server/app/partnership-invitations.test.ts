import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../test/actors.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { auditLog } from '../kernel/schema.ts';
import type { Mail } from '../kernel/mail.ts';
import { createAuth, type Auth } from '../accounts/auth.ts';
import { user } from '../accounts/schema.ts';
import { partnershipAccess } from '../partnerships/schema.ts';
import type { Role } from '#lib/roles.ts';
import { inviteToPartnership, newAccountsPerDay } from './partnership-invitations.ts';

const setPassword = 'http://localhost:3999/reset-password/new';

describe.each(testDatabases)('inviting people into a partnership on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	const sent: Mail[] = [];
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		auth = createAuth({
			db: h.db,
			baseURL: 'http://localhost:3999',
			secret: 'test-secret-'.repeat(4),
			sendMail: async (mail) => void sent.push(mail)
		});
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id] });
	});
	afterAll(async () => {
		await h?.close();
	});

	const invite = (who: TestActor, fields: Record<string, string>, slug = ours.slug) =>
		inviteToPartnership(h.db, auth, who, slug, fields, setPassword);
	const accessOf = async (email: string) =>
		(
			await h.db
				.select({ role: partnershipAccess.role })
				.from(partnershipAccess)
				.innerJoin(user, eq(user.id, partnershipAccess.userId))
				.where(and(eq(partnershipAccess.partnershipId, ours.id), eq(user.email, email)))
		)[0]?.role ?? null;

	it('makes a reader account for a new address, lets it in, and mails the link once it is saved', async () => {
		expect(await invite(coordinator, { email: ' Ny.Kollega@Example.se ', name: 'Ny Kollega' })).toBe(
			'ny.kollega@example.se'
		);
		const [made] = await h.db.select().from(user).where(eq(user.email, 'ny.kollega@example.se'));
		expect(made).toMatchObject({ name: 'Ny Kollega', role: 'reader' });
		expect(await accessOf('ny.kollega@example.se')).toBe('member');
		expect(sent.filter((m) => m.to === 'ny.kollega@example.se')).toHaveLength(1);
		const rows = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.actorId, coordinator.id));
		expect(rows.map((r) => r.action).sort()).toEqual(['partnership.access', 'user.invite']);
	});

	it('lets someone with an account in at once, with no new account and no mail', async () => {
		const existing = await anActor(h.db, 'author', { email: 'finns.redan@example.se' });
		const mails = sent.length;
		await invite(coordinator, { email: 'FINNS.REDAN@example.se' });
		expect(await accessOf(existing.email)).toBe('member');
		expect(sent.length).toBe(mails);
		expect((await h.db.select().from(user).where(eq(user.email, existing.email))).length).toBe(1);
		// A coordinator invited again stays a coordinator.
		await invite(people.editor, { email: coordinator.email });
		const [row] = await h.db
			.select({ role: partnershipAccess.role })
			.from(partnershipAccess)
			.where(and(eq(partnershipAccess.partnershipId, ours.id), eq(partnershipAccess.userId, coordinator.id)));
		expect(row!.role).toBe('coordinator');
	});

	it('refuses anyone who may not edit the partnership before any account is made, and a bad address', async () => {
		const other = await aPartnership(h.db);
		await expect(invite(coordinator, { email: 'inte.har@example.se' }, other.slug)).rejects.toThrow(
			ForbiddenError
		);
		await expect(invite(people.author, { email: 'inte.har@example.se' })).rejects.toThrow(ForbiddenError);
		expect(await h.db.select().from(user).where(eq(user.email, 'inte.har@example.se'))).toEqual([]);
		await expect(invite(coordinator, { email: 'inte en adress' })).rejects.toMatchObject({
			problems: [{ field: 'email', code: 'invalidEmail' }]
		});
	});

	it('lets a coordinator make only so many new accounts a day; editors, and existing accounts, are not counted', async () => {
		const busy = await anActor(h.db, 'reader');
		const theirs = await aPartnership(h.db, { coordinators: [busy.id] });
		await h.db.insert(auditLog).values(
			Array.from({ length: newAccountsPerDay }, (_, i) => ({
				actorId: busy.id,
				action: 'user.invite',
				subject: `user:earlier-${i}`
			}))
		);
		await expect(invite(busy, { email: 'en.till@example.se' }, theirs.slug)).rejects.toMatchObject({
			problems: [{ field: 'email', code: 'tooManyInvitations' }]
		});
		expect(await h.db.select().from(user).where(eq(user.email, 'en.till@example.se'))).toEqual([]);
		await invite(busy, { email: people.author.email }, theirs.slug);
		await invite(people.editor, { email: 'en.till@example.se' }, theirs.slug);
	});
});
