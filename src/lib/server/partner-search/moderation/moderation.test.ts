import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { everyRole, type TestActor } from '../../test/actors.ts';
import {
	aProfile,
	anOrganizationWithStaff,
	type StaffedOrganization
} from '../../test/factories/partner-search.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { contactRequest, partnerProfile } from '../schema.ts';
import { readProfileFilter } from '../input.ts';
import { readNames } from '../names.ts';
import { getProfile, listProfiles, ownProfiles } from '../profiles/queries.ts';
import { saveProfile } from '../profiles/commands.ts';
import { listProfilesForModeration, listReported } from './queries.ts';
import { hideProfile, showProfile } from './commands.ts';

/** The domain error's problems as "field:code". */
async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}

describe.each(testDatabases)('moderating profiles on $name', (database) => {
	let h: DatabaseHandle;
	let ale: StaffedOrganization;
	let horby: StaffedOrganization;
	let roles: Record<'admin' | 'editor' | 'author' | 'reader', TestActor>;
	let aleProfile: number;

	beforeAll(async () => {
		h = await database.open();
		roles = await everyRole(h.db);
		ale = await anOrganizationWithStaff(h.db, { name: { sv: 'Ale kommun', en: 'Ale Municipality' } });
		horby = await anOrganizationWithStaff(h.db, { name: { sv: 'Hörby kommun', en: 'Hörby Municipality' } });
		aleProfile = await aProfile(h.db, ale);
		const horbyProfile = await aProfile(h.db, horby);
		await h.db.insert(contactRequest).values([
			{
				profileId: horbyProfile,
				fromUserId: ale.staff[0]!.id,
				fromOrganizationId: ale.id,
				message: 'Köp våra tjänster!',
				replyTokenHash: 'a'.repeat(64),
				status: 'reported',
				reportReason: 'Reklam',
				reportedAt: new Date()
			},
			{
				profileId: horbyProfile,
				fromUserId: ale.staff[0]!.id,
				fromOrganizationId: ale.id,
				message: 'Hej! Vill ni samarbeta?',
				replyTokenHash: 'b'.repeat(64)
			}
		]);
	});
	afterAll(async () => {
		await h?.close();
	});

	const lastAudit = async (action: string) => {
		const [row] = await h.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, action))
			.orderBy(desc(auditLog.id))
			.limit(1);
		return row;
	};
	const listed = async () =>
		(
			await listProfiles(h.db, await readNames(h.db, 'sv'), readProfileFilter(new URLSearchParams()))
		).items.map((p) => p.id);

	it('lets only editors and admins moderate', async () => {
		for (const actor of [ale.staff[0]!, roles.author, roles.reader, null]) {
			await expect(listProfilesForModeration(h.db, actor, 'sv')).rejects.toThrow(ForbiddenError);
			await expect(listReported(h.db, actor, 'sv')).rejects.toThrow(ForbiddenError);
			await expect(hideProfile(h.db, actor, { profile: String(aleProfile), note: '' })).rejects.toThrow(
				ForbiddenError
			);
		}
		expect((await listProfilesForModeration(h.db, roles.admin, 'sv')).length).toBeGreaterThan(0);
	});

	it('shows editors every profile with its contact and its requests, and the reported ones', async () => {
		const moderated = await listProfilesForModeration(h.db, roles.editor, 'sv');
		const forHorby = moderated.find((p) => p.organization === 'Hörby kommun');
		expect(forHorby).toMatchObject({ status: 'active', expired: false, requests: 2, reported: 1 });
		expect(forHorby?.contactEmail).toBe(horby.staff[0]!.email);
		const reported = await listReported(h.db, roles.editor, 'sv');
		expect(reported).toHaveLength(1);
		expect(reported[0]).toMatchObject({
			reason: 'Reklam',
			sender: { name: ale.staff[0]!.name, email: ale.staff[0]!.email },
			fromOrganization: 'Ale kommun',
			toOrganization: 'Hörby kommun'
		});
	});

	it('lets editors hide and show a profile, with a note, audited', async () => {
		const editor = roles.editor;
		expect(
			await problems(hideProfile(h.db, editor, { profile: String(aleProfile), note: 'x'.repeat(501) }))
		).toEqual(['note:tooLong']);
		await expect(hideProfile(h.db, editor, { profile: '999999', note: '' })).rejects.toThrow(NotFoundError);
		await hideProfile(h.db, editor, {
			profile: String(aleProfile),
			note: 'Kontaktuppgifterna stämmer inte.'
		});
		expect(await listed()).not.toContain(aleProfile);
		await expect(getProfile(h.db, 'sv', aleProfile)).rejects.toThrow(NotFoundError);
		const hidden = await lastAudit('partner-profile.hide');
		expect(hidden).toMatchObject({ actorId: editor.id, subject: `partner-profile:${aleProfile}` });
		expect(hidden?.before).toMatchObject({ status: 'active' });
		// The organization sees the note; saving keeps the profile hidden.
		const alva = ale.staff[0]!;
		const own = await ownProfiles(h.db, alva, 'sv');
		expect(own.profile).toMatchObject({
			status: 'hidden',
			moderationNote: 'Kontaktuppgifterna stämmer inte.'
		});
		await saveProfile(h.db, alva, {
			...own.profile!.values,
			organization: String(ale.id),
			contactEmail: 'alva@ale.example'
		});
		expect(await listed()).not.toContain(aleProfile);
		const moderated = await listProfilesForModeration(h.db, editor, 'sv');
		expect(moderated.find((p) => p.id === aleProfile)).toMatchObject({
			status: 'hidden',
			contactEmail: 'alva@ale.example'
		});
		await showProfile(h.db, editor, { profile: String(aleProfile), note: '' });
		expect(await listed()).toContain(aleProfile);
		expect((await lastAudit('partner-profile.show'))?.after).toEqual({
			status: 'active',
			moderationNote: null
		});
		const [row] = await h.db.select().from(partnerProfile).where(eq(partnerProfile.id, aleProfile));
		expect(row?.status).toBe('active');
	});
});
