import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../test/actors.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import { aForm } from '../test/factories/content.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { problemsIn } from '../kernel/http.ts';
import { auditLog } from '../kernel/schema.ts';
import { resetMailTransport, type Mail } from '../kernel/mail.ts';
import { createAuth, type Auth } from '../accounts/auth.ts';
import { user } from '../accounts/schema.ts';
import { partnershipAccess } from '../partnerships/schema.ts';
import { partnershipSpace } from '../partnerships/space/queries.ts';
import type { Role } from '#lib/roles.ts';
import { invitationsPerDay, invitedMail, inviteToPartnership } from './partnership-invitations.ts';

const setPassword = 'http://localhost:3999/reset-password/new';

describe.each(testDatabases)('inviting people into a partnership on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	let smtp: TestMailServer;
	/** What the accounts module mails (a new account's link), as its auth instance sends it. */
	const sent: Mail[] = [];
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		// Mail the app sends itself goes over SMTP to a test server.
		smtp = await startTestMailServer();
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
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
		resetMailTransport();
		delete process.env.SMTP_URL;
		await smtp?.close();
		await h?.close();
	});

	const invite = (who: TestActor, fields: Record<string, string>, slug = ours.slug) =>
		inviteToPartnership(h.db, auth, who, slug, fields, setPassword);
	const roleIn = async (email: string, p = ours) =>
		(
			await h.db
				.select({ role: partnershipAccess.role })
				.from(partnershipAccess)
				.innerJoin(user, eq(user.id, partnershipAccess.userId))
				.where(and(eq(partnershipAccess.partnershipId, p.id), eq(user.email, email)))
		)[0]?.role ?? null;
	/** The problems of a refused invitation, with their messages in Swedish. */
	const refusal = async (run: Promise<unknown>) => {
		const e = await run.then(
			() => null,
			(error: unknown) => error
		);
		expect(e).toBeInstanceOf(ValidationError);
		return problemsIn(e as ValidationError, 'sv');
	};

	it('makes a reader account for a new address, lets it in, and mails the link once it is saved', async () => {
		expect(await invite(coordinator, { email: ' Ny.Kollega@Example.se ', name: 'Ny Kollega' })).toBe(
			'ny.kollega@example.se'
		);
		const [made] = await h.db.select().from(user).where(eq(user.email, 'ny.kollega@example.se'));
		expect(made).toMatchObject({ name: 'Ny Kollega', role: 'reader' });
		expect(await roleIn('ny.kollega@example.se')).toBe('member');
		const mails = sent.filter((m) => m.to === 'ny.kollega@example.se');
		expect(mails).toHaveLength(1);
		// Plain text only: nothing in it is markup a name could turn into a link.
		expect(mails[0]!.html).toBeUndefined();
		const rows = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.actorId, coordinator.id));
		expect(rows.map((r) => r.action).sort()).toEqual([
			'partnership.access',
			'partnership.invite',
			'user.invite'
		]);
	});

	it('invites someone who has an account without telling the coordinator who they are', async () => {
		const chief = await anActor(h.db, 'admin', { name: 'Hemlig Chef', email: 'hemlig.chef@example.se' });
		const before = sent.length;
		// The same answer as for a new address …
		expect(await invite(coordinator, { email: 'HEMLIG.CHEF@example.se', name: 'Gissad Person' })).toBe(
			'hemlig.chef@example.se'
		);
		expect(await invite(coordinator, { email: 'ny.person@example.se', name: 'Ny Person' })).toBe(
			'ny.person@example.se'
		);
		expect(await roleIn(chief.email)).toBe('member');
		expect((await h.db.select().from(user).where(eq(user.email, chief.email)))[0]).toMatchObject({
			name: 'Hemlig Chef',
			role: 'admin'
		});
		// … and the coordinator's page shows neither the account's name nor anything that tells it apart.
		const space = await partnershipSpace(h.db, coordinator, ours.id, 'sv');
		expect(JSON.stringify(space)).not.toContain('Hemlig Chef');
		const shown = (email: string) => space.access.find((a) => a.email === email);
		expect(Object.keys(shown(chief.email)!).sort()).toEqual(
			Object.keys(shown('ny.person@example.se')!).sort()
		);
		expect(shown(chief.email)!.name).toBe('');
		expect(shown('ny.person@example.se')!.name).toBe('');
		// Editors choose coordinators among them: they see the names.
		expect(
			(await partnershipSpace(h.db, people.editor, ours.id, 'sv')).access.find((a) => a.email === chief.email)
				?.name
		).toBe('Hemlig Chef');
		// The new account gets its link, the existing one a mail saying where it was invited.
		expect(sent.slice(before).map((m) => m.to)).toEqual(['ny.person@example.se']);
		const told = await smtp.next(chief.email);
		expect(told.subject).toBe('Du är inbjuden till ett partnerskap');
		expect(told.text).toContain(`http://localhost:3999/partnerships/${ours.slug}`);
		// The coordinator's words for the person are not in it, and it is plain text only.
		expect(told.text).not.toContain('Gissad Person');
		expect(
			(await invitedMail(h.db, chief.email, 'sv', 'http://localhost:3999', ours.slug)).html
		).toBeUndefined();
	});

	it('never lowers a role: a coordinator inviting a fellow coordinator leaves them a coordinator', async () => {
		const fellow = await anActor(h.db, 'reader', { email: 'medsamordnare@example.se' });
		await h.db
			.insert(partnershipAccess)
			.values({ partnershipId: ours.id, userId: fellow.id, role: 'coordinator' });
		await invite(coordinator, { email: 'Medsamordnare@example.se' });
		expect(await roleIn(fellow.email)).toBe('coordinator');
		await invite(people.editor, { email: coordinator.email });
		expect(await roleIn(coordinator.email)).toBe('coordinator');
		await smtp.next(fellow.email);
		await smtp.next(coordinator.email);
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

	it('refuses a name a mail program could show as a link, or with hidden characters, with a message', async () => {
		for (const name of [
			'Hej Klicka här: https://evil.example/login',
			'evil.example/login',
			'www.evil.example',
			'Anna (anna@evil.example)',
			'evil\uFF0Eexample',
			'Anna \u202Enosnevs',
			'Anna\u200BSvensson',
			'Anna\u0085Svensson'
		]) {
			// As the browser posts it.
			const form = aForm({ email: 'lank.namn@example.se', name });
			expect(
				await refusal(inviteToPartnership(h.db, auth, coordinator, ours.slug, form, setPassword)),
				name
			).toEqual([
				{
					field: 'name',
					message: 'Namn: Skriv bara personens namn, utan webbadresser, e-postadresser eller osynliga tecken.'
				}
			]);
		}
		expect(await h.db.select().from(user).where(eq(user.email, 'lank.namn@example.se'))).toEqual([]);
		// A control character the kernel's reader turns into a space is gone from the name.
		await invite(coordinator, { email: 'styrtecken@example.se', name: 'Anna\u0007Svensson' });
		expect(
			(await h.db.select({ name: user.name }).from(user).where(eq(user.email, 'styrtecken@example.se')))[0]
		).toEqual({
			name: 'Anna Svensson'
		});
		// Names with initials, hyphens and letters of any language are names.
		await invite(coordinator, { email: 'anna-karin@example.se', name: 'Anna-Karin Ö. Lind' });
		await invite(coordinator, { email: 'besa@example.org', name: 'Besa Krasniqi-Gashi' });
		// Without a name, the account is named from the address, without anything link-like.
		await invite(coordinator, { email: 'per.olof_berg@kommun.example.se' });
		const [named] = await h.db
			.select({ name: user.name })
			.from(user)
			.where(eq(user.email, 'per.olof_berg@kommun.example.se'));
		expect(named!.name).toBe('per olof berg');
	});

	it(`lets a coordinator send ${invitationsPerDay} invitations a day, new and existing addresses alike; the next is refused with a message`, async () => {
		const busy = await anActor(h.db, 'reader');
		const theirs = await aPartnership(h.db, { coordinators: [busy.id] });
		const existing = await Promise.all(
			Array.from({ length: invitationsPerDay / 2 }, (_, i) =>
				anActor(h.db, 'reader', { email: `finns-${i}@example.se` })
			)
		);
		for (const [i, person] of existing.entries()) {
			await invite(busy, { email: person.email }, theirs.slug);
			await invite(busy, { email: `ny-${i}@example.se` }, theirs.slug);
		}
		const tooMany = [
			{
				field: 'email',
				message:
					'E-postadress: Du har bjudit in många personer i dag. Försök igen i morgon, eller be en redaktör om hjälp.'
			}
		];
		const another = await anActor(h.db, 'reader', { email: 'en.till.med.konto@example.se' });
		// The 21st is refused, whether the address has an account or not: that tells nothing either.
		expect(await refusal(invite(busy, { email: 'en.till@example.se' }, theirs.slug))).toEqual(tooMany);
		expect(await refusal(invite(busy, { email: another.email }, theirs.slug))).toEqual(tooMany);
		expect(await h.db.select().from(user).where(eq(user.email, 'en.till@example.se'))).toEqual([]);
		expect(await roleIn(another.email, theirs)).toBeNull();
		// Editors are not counted.
		await invite(people.editor, { email: 'en.till@example.se' }, theirs.slug);
		expect(await roleIn('en.till@example.se', theirs)).toBe('member');
	});
});
