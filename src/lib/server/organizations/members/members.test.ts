import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../../test/actors.ts';
import { anOrganization } from '../../test/factories/organizations.ts';
import { problems } from '../../test/problems.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { auditLog, mailOutbox } from '../../kernel/schema.ts';
import type { Role } from '#lib/roles.ts';
import { organizationAccessRequest, organizationMember } from '../schema.ts';
import {
	approveAccessRequest,
	refuseAccessRequest,
	removeOrganizationMember,
	requestAccess,
	setOrganizationAdmin
} from './commands.ts';
import { accessRequestQueue, organizationMembers, ownAccessRequests } from './queries.ts';

describe.each(testDatabases)('who works for an organization, on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
	});
	afterAll(async () => {
		await h?.close();
	});

	const mailsTo = (email: string) => h.db.select().from(mailOutbox).where(eq(mailOutbox.recipient, email));
	const memberRow = async (organizationId: number, userId: string) =>
		(
			await h.db
				.select({ admin: organizationMember.admin })
				.from(organizationMember)
				.where(
					and(eq(organizationMember.organizationId, organizationId), eq(organizationMember.userId, userId))
				)
		)[0] ?? null;

	it('takes a request from someone signed in, mails them and every editor, and keeps one open at a time', async () => {
		const org = await anOrganization(h.db, { name: 'Ghanzi distriktsråd' });
		const asker = await anActor(h.db, 'reader', { name: 'Kefilwe Test' });
		const fields = {
			organization: String(org.id),
			position: 'Internationell samordnare',
			message: 'Hej!\nVi vill …'
		};
		await expect(requestAccess(h.db, anonymous, fields)).rejects.toThrow(ForbiddenError);
		expect(await problems(requestAccess(h.db, asker, { position: 'Samordnare' }))).toEqual([
			'organization:chooseOrganization'
		]);
		expect(
			await problems(requestAccess(h.db, asker, { proposedName: 'Okänd kommun', position: 'X' }))
		).toEqual(['proposedCountry:proposedCountryRequired']);
		expect(await problems(requestAccess(h.db, asker, { organization: '999999', position: 'X' }))).toEqual([
			'organization:unknownOrganization'
		]);
		expect(
			await problems(requestAccess(h.db, asker, { organization: String(org.id), position: ' ' }))
		).toEqual(['position:required']);

		const id = await requestAccess(h.db, asker, fields);
		expect(await problems(requestAccess(h.db, asker, fields))).toEqual(['form:alreadyPending']);
		const receipt = await mailsTo(asker.email);
		expect(receipt.map((m) => m.subject)).toEqual(['Vi har fått din förfrågan']);
		expect(receipt[0]!.text).toContain('Ghanzi distriktsråd');
		const toEditor = await mailsTo(people.editor.email);
		expect(toEditor.map((m) => m.subject)).toContain('Ny förfrågan om tillgång: Ghanzi distriktsråd');
		expect(toEditor.find((m) => m.subject.includes('Ghanzi'))!.text).toContain('/admin/access-requests');
		// Authors and readers are not asked to decide.
		expect((await mailsTo(people.author.email)).length).toBe(0);

		const queue = await accessRequestQueue(h.db, people.editor, 'sv');
		expect(queue.pending.find((r) => r.id === id)).toMatchObject({
			person: { name: 'Kefilwe Test', email: asker.email },
			organization: { id: org.id, name: 'Ghanzi distriktsråd' },
			position: 'Internationell samordnare',
			message: 'Hej!\nVi vill …'
		});
		await expect(accessRequestQueue(h.db, people.author, 'sv')).rejects.toThrow(ForbiddenError);
		expect((await ownAccessRequests(h.db, asker.id, 'sv'))[0]).toMatchObject({ id, status: 'pending' });
	});

	it('lets editors approve (as administrator if they say so) or refuse with a reason, mailing the answer', async () => {
		const org = await anOrganization(h.db, { name: 'Peja kommun' });
		const first = await anActor(h.db, 'reader');
		const second = await anActor(h.db, 'reader', { email: `second-${org.id}@example.se` });
		const one = await requestAccess(h.db, first, { organization: String(org.id), position: 'Handläggare' });
		const two = await requestAccess(h.db, second, { organization: String(org.id), position: 'Okänd' });

		for (const who of [people.reader, people.author]) {
			await expect(approveAccessRequest(h.db, who, { request: String(one) })).rejects.toThrow(ForbiddenError);
		}
		expect(await approveAccessRequest(h.db, people.editor, { request: String(one), admin: 'yes' })).toBe(
			org.slug
		);
		expect(await memberRow(org.id, first.id)).toEqual({ admin: true });
		expect(await problems(approveAccessRequest(h.db, people.editor, { request: String(one) }))).toEqual([
			'request:alreadyDecided'
		]);
		const approved = (await mailsTo(first.email)).find((m) => m.subject.startsWith('Du har fått tillgång'));
		expect(approved?.subject).toBe('Du har fått tillgång för Peja kommun');
		expect(approved?.text).toContain(`/organizations/${org.slug}`);
		expect(approved?.text).toContain('administratör');

		expect(
			await problems(refuseAccessRequest(h.db, people.editor, { request: String(two), reason: '  ' }))
		).toEqual(['reason:required']);
		await refuseAccessRequest(h.db, people.admin, {
			request: String(two),
			reason: 'Vi når dig inte på kommunen.'
		});
		expect(await memberRow(org.id, second.id)).toBeNull();
		const refused = (await mailsTo(second.email)).find((m) => m.subject.includes('avslagen'));
		expect(refused?.text).toContain('Vi når dig inte på kommunen.');
		expect((await ownAccessRequests(h.db, second.id, 'sv'))[0]).toMatchObject({
			status: 'refused',
			reason: 'Vi når dig inte på kommunen.'
		});
		const logged = await h.db
			.select({ action: auditLog.action, actor: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `organization-access-request:${two}`));
		expect(logged.map((l) => l.action).sort()).toEqual([
			'organization.refuseAccess',
			'organization.requestAccess'
		]);
	});

	it('places a request for an organization not on the platform in the one editors choose', async () => {
		const asker = await anActor(h.db, 'reader');
		const id = await requestAccess(h.db, asker, {
			proposedName: 'Kgalagadi District Council',
			proposedCountry: 'bw',
			position: 'Planning officer'
		});
		const [row] = await h.db
			.select()
			.from(organizationAccessRequest)
			.where(eq(organizationAccessRequest.id, id));
		expect(row).toMatchObject({
			organizationId: null,
			proposedName: 'Kgalagadi District Council',
			proposedCountry: 'BW'
		});
		expect(await problems(approveAccessRequest(h.db, people.editor, { request: String(id) }))).toEqual([
			'organization:chooseOrganization'
		]);
		const added = await anOrganization(h.db, { name: 'Kgalagadi District Council' });
		await approveAccessRequest(h.db, people.editor, { request: String(id), organization: String(added.id) });
		expect(await memberRow(added.id, asker.id)).toEqual({ admin: false });
	});

	it("lets an organization's administrators and editors keep its list, never leaving it without an administrator by mistake", async () => {
		const admin = await anActor(h.db, 'reader');
		const colleague = await anActor(h.db, 'reader');
		const org = await anOrganization(h.db, { admins: [admin.id], members: [colleague.id] });
		const stranger = await anActor(h.db, 'reader');

		expect(
			(await organizationMembers(h.db, admin, org.slug, 'sv')).members.map((m) => [m.id, m.admin, m.you])
		).toEqual(
			expect.arrayContaining([
				[admin.id, true, true],
				[colleague.id, false, false]
			])
		);
		for (const who of [stranger, colleague, people.author]) {
			await expect(organizationMembers(h.db, who, org.slug, 'sv')).rejects.toThrow(ForbiddenError);
			await expect(removeOrganizationMember(h.db, who, org.slug, { user: admin.id })).rejects.toThrow(
				ForbiddenError
			);
		}
		// The only administrator cannot step down or leave; another must be appointed first.
		expect(await problems(setOrganizationAdmin(h.db, admin, org.slug, { user: admin.id }))).toEqual([
			'user:lastAdmin'
		]);
		expect(await problems(removeOrganizationMember(h.db, admin, org.slug, { user: admin.id }))).toEqual([
			'user:lastAdmin'
		]);
		await setOrganizationAdmin(h.db, admin, org.slug, { user: colleague.id, admin: 'yes' });
		expect(await memberRow(org.id, colleague.id)).toEqual({ admin: true });
		await removeOrganizationMember(h.db, colleague, org.slug, { user: admin.id });
		expect(await memberRow(org.id, admin.id)).toBeNull();
		// Editors may leave an organization with no administrator (they then keep its list).
		await setOrganizationAdmin(h.db, people.editor, org.slug, { user: colleague.id });
		expect(await memberRow(org.id, colleague.id)).toEqual({ admin: false });
		expect(
			await problems(removeOrganizationMember(h.db, people.editor, org.slug, { user: stranger.id }))
		).toEqual(['user:unknownUser']);
		const actions = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.subject, `organization:${org.id}`));
		expect(actions.map((a) => a.action).sort()).toEqual([
			'organization.removeMember',
			'organization.setAdmin',
			'organization.setAdmin'
		]);
	});
});
