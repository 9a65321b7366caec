import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../test/actors.ts';
import { anOrganization, type TestOrganization } from '../test/factories/organizations.ts';
import { problems } from '../test/problems.ts';
import { startTestMailServer, type TestMailServer } from '../test/mail-server.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { resetMailTransport, type Mail } from '../kernel/mail.ts';
import { createAuth, type Auth } from '../accounts/auth.ts';
import { user } from '../accounts/schema.ts';
import { organizationMember } from '../organizations/schema.ts';
import type { Role } from '#lib/roles.ts';
import { inviteToOrganization } from './organization-invitations.ts';

const setPassword = 'http://localhost:3999/reset-password/new';

describe.each(testDatabases)('inviting colleagues into an organization on $name', (database) => {
	let h: DatabaseHandle;
	let auth: Auth;
	let smtp: TestMailServer;
	const sent: Mail[] = [];
	let people: Record<Role, TestActor>;
	let admin: TestActor;
	let colleague: TestActor;
	let org: TestOrganization;

	beforeAll(async () => {
		h = await database.open();
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
		admin = await anActor(h.db, 'reader');
		colleague = await anActor(h.db, 'reader');
		org = await anOrganization(h.db, {
			name: 'Ghanzi District Council',
			admins: [admin.id],
			members: [colleague.id]
		});
	});
	afterAll(async () => {
		resetMailTransport();
		delete process.env.SMTP_URL;
		await smtp?.close();
		await h?.close();
	});

	const isMember = async (email: string) =>
		(
			await h.db
				.select({ id: organizationMember.userId })
				.from(organizationMember)
				.innerJoin(user, eq(user.id, organizationMember.userId))
				.where(and(eq(organizationMember.organizationId, org.id), eq(user.email, email)))
		).length === 1;

	it('makes a reader account for a new address and mails its link; an existing account is told where it was added', async () => {
		expect(
			await inviteToOrganization(
				h.db,
				auth,
				admin,
				org.slug,
				{ email: 'Ny.Planerare@Example.bw', name: 'Ny Planerare' },
				setPassword
			)
		).toBe('ny.planerare@example.bw');
		expect(await isMember('ny.planerare@example.bw')).toBe(true);
		const [made] = await h.db.select().from(user).where(eq(user.email, 'ny.planerare@example.bw'));
		expect(made).toMatchObject({ name: 'Ny Planerare', role: 'reader' });
		expect(sent.map((m) => m.to)).toEqual(['ny.planerare@example.bw']);

		const known = await anActor(h.db, 'reader');
		await inviteToOrganization(h.db, auth, people.editor, org.slug, { email: known.email }, setPassword);
		expect(await isMember(known.email)).toBe(true);
		const told = await smtp.next(known.email);
		expect(told.subject).toBe('Du är tillagd i Ghanzi District Council');
		expect(told.text).toContain(`http://localhost:3999/organizations/${org.slug}`);
	});

	it('refuses members who do not administer it and other staff, and names a bad address', async () => {
		for (const who of [colleague, people.author, people.reader]) {
			await expect(
				inviteToOrganization(h.db, auth, who, org.slug, { email: 'x@example.bw' }, setPassword)
			).rejects.toThrow(ForbiddenError);
		}
		expect(await isMember('x@example.bw')).toBe(false);
		expect(
			await problems(
				inviteToOrganization(h.db, auth, admin, org.slug, { email: 'not an address' }, setPassword)
			)
		).toEqual(['email:invalidEmail']);
	});
});
