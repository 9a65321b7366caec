import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { media } from '../../media/schema.ts';
import type { Role } from '#lib/roles.ts';
import { partnershipAccess } from '../schema.ts';
import { getPartnership } from '../queries.ts';
import {
	addMember,
	appointCoordinator,
	attachFromLibrary,
	attachUpload,
	detachDocument,
	removeFromSpace
} from './commands.ts';
import { documentOptions, ownPartnerships, partnershipSpace } from './queries.ts';
import { anOrganization } from '../../test/factories/organizations.ts';

describe.each(testDatabases)("a partnership's space on $name", (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id] });
	});
	afterAll(async () => {
		await h?.close();
	});

	const roleOf = async (userId: string, p = ours) =>
		(
			await h.db
				.select({ role: partnershipAccess.role })
				.from(partnershipAccess)
				.where(and(eq(partnershipAccess.partnershipId, p.id), eq(partnershipAccess.userId, userId)))
		)[0]?.role ?? null;

	/** A PDF row in the library, as an upload by `who` leaves it. */
	const aDocument = async (who: TestActor | null, kind: 'document' | 'image' = 'document') => {
		const [row] = await h.db
			.insert(media)
			.values({
				kind,
				storageKey: crypto.randomUUID().replaceAll('-', ''),
				mime: kind === 'document' ? 'application/pdf' : 'image/webp',
				bytes: 100,
				fileName: kind === 'document' ? 'plan.pdf' : 'bild.webp',
				createdBy: who?.id ?? null
			})
			.returning({ id: media.id });
		return row!.id;
	};

	it('lets editors appoint coordinators; a coordinator adds and removes members but not coordinators', async () => {
		const colleague = await anActor(h.db, 'reader');
		await expect(appointCoordinator(h.db, coordinator, ours.slug, { user: colleague.id })).rejects.toThrow(
			ForbiddenError
		);
		await addMember(h.db, coordinator, ours.slug, { user: colleague.id });
		expect(await roleOf(colleague.id)).toBe('member');
		await removeFromSpace(h.db, coordinator, ours.slug, { user: colleague.id });
		expect(await roleOf(colleague.id)).toBeNull();

		await appointCoordinator(h.db, people.editor, ours.slug, { user: colleague.id });
		expect(await roleOf(colleague.id)).toBe('coordinator');
		await expect(removeFromSpace(h.db, coordinator, ours.slug, { user: colleague.id })).rejects.toThrow(
			ForbiddenError
		);
		await removeFromSpace(h.db, people.admin, ours.slug, { user: colleague.id });
		expect(await roleOf(colleague.id)).toBeNull();

		const stranger = await aPartnership(h.db);
		await expect(addMember(h.db, coordinator, stranger.slug, { user: colleague.id })).rejects.toThrow(
			ForbiddenError
		);
		await expect(addMember(h.db, anonymous, ours.slug, { user: colleague.id })).rejects.toMatchObject({
			signInRequired: true
		});
		const actions = await h.db
			.select({ action: auditLog.action, actorId: auditLog.actorId })
			.from(auditLog)
			.where(eq(auditLog.subject, `partnership:${ours.id}`));
		expect(actions).toEqual([
			{ action: 'partnership.access', actorId: coordinator.id },
			{ action: 'partnership.revoke', actorId: coordinator.id },
			{ action: 'partnership.access', actorId: people.editor.id },
			{ action: 'partnership.revoke', actorId: people.admin.id }
		]);
	});

	it("lists a person's own partnerships for their account: those they coordinate first, named Swedish side first", async () => {
		const person = await anActor(h.db, 'reader');
		const ale = await anOrganization(h.db, { country: 'SE', name: 'Ale kommun' });
		const ghanzi = await anOrganization(h.db, { country: 'BW', name: 'Ghanzi District Council' });
		const peja = await anOrganization(h.db, { country: 'XK', name: 'Komuna e Pejës' });
		const hoerby = await anOrganization(h.db, { country: 'SE', name: 'Hörby kommun' });
		const member = await aPartnership(h.db, {
			swedish: [hoerby.id],
			international: [peja.id],
			members: [person.id]
		});
		const coordinated = await aPartnership(h.db, {
			swedish: [ale.id],
			international: [ghanzi.id],
			coordinators: [person.id]
		});
		await aPartnership(h.db, { swedish: [ale.id], international: [peja.id] });
		expect(await ownPartnerships(h.db, person.id, 'sv')).toEqual([
			{ slug: coordinated.slug, name: 'Ale kommun – Ghanzi District Council', role: 'coordinator' },
			{ slug: member.slug, name: 'Hörby kommun – Komuna e Pejës', role: 'member' }
		]);
		expect(await ownPartnerships(h.db, (await anActor(h.db, 'reader')).id, 'sv')).toEqual([]);
	});

	it('keeps a coordinator a coordinator when they are added as a member again', async () => {
		const other = await anActor(h.db, 'reader');
		await appointCoordinator(h.db, people.editor, ours.slug, { user: other.id });
		await addMember(h.db, coordinator, ours.slug, { user: other.id });
		expect(await roleOf(other.id)).toBe('coordinator');
	});

	it('names an unknown person or a tampered id', async () => {
		await expect(addMember(h.db, people.editor, ours.slug, { user: 'no-such-user' })).rejects.toMatchObject({
			problems: [{ field: 'user', code: 'unknownUser' }]
		});
		await expect(appointCoordinator(h.db, people.editor, ours.slug, { user: 'x y' })).rejects.toMatchObject({
			problems: [{ field: 'user', code: 'unknownUser' }]
		});
		await expect(attachFromLibrary(h.db, people.editor, ours.slug, { media: '0' })).rejects.toMatchObject({
			problems: [{ field: 'media', code: 'unknownMedia' }]
		});
	});

	it('lets staff who may edit it attach a PDF from the library, and a coordinator only detach it', async () => {
		const pdf = await aDocument(people.author);
		const image = await aDocument(people.author, 'image');
		expect(await documentOptions(h.db, coordinator)).toEqual([]);
		expect((await documentOptions(h.db, people.author)).map((d) => d.id)).toContain(pdf);
		await expect(attachFromLibrary(h.db, coordinator, ours.slug, { media: String(pdf) })).rejects.toThrow(
			ForbiddenError
		);
		// Staff, but not an editor or this partnership's coordinator.
		await expect(attachFromLibrary(h.db, people.author, ours.slug, { media: String(pdf) })).rejects.toThrow(
			ForbiddenError
		);
		await expect(
			attachFromLibrary(h.db, people.editor, ours.slug, { media: String(image) })
		).rejects.toMatchObject({ problems: [{ field: 'media', code: 'unknownMedia' }] });
		await attachFromLibrary(h.db, people.editor, ours.slug, { media: String(pdf), title_sv: 'Arbetsplan' });
		expect((await getPartnership(h.db, 'sv', ours.slug))!.documents.map((d) => d.title)).toEqual([
			'Arbetsplan'
		]);
		expect((await getPartnership(h.db, 'en', ours.slug))!.documents.map((d) => d.title)).toEqual([
			'plan.pdf'
		]);
		expect((await partnershipSpace(h.db, people.editor, ours.id, 'sv')).documents).toEqual([
			{ mediaId: pdf, fileName: 'plan.pdf', title: 'Arbetsplan' }
		]);
		await detachDocument(h.db, coordinator, ours.slug, { media: String(pdf) });
		expect((await getPartnership(h.db, 'sv', ours.slug))!.documents).toEqual([]);
	});

	it("lets a coordinator attach a PDF they uploaded, not someone else's", async () => {
		const own = await aDocument(coordinator);
		const staffs = await aDocument(people.editor);
		await expect(attachUpload(h.db, coordinator, ours.slug, { mediaId: staffs, title: {} })).rejects.toThrow(
			ForbiddenError
		);
		await attachUpload(h.db, coordinator, ours.slug, { mediaId: own, title: { sv: 'Vår plan' } });
		expect((await getPartnership(h.db, 'sv', ours.slug))!.documents.map((d) => d.title)).toEqual([
			'Vår plan'
		]);
	});
});
