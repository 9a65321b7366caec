import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, desc, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../../test/actors.ts';
import {
	aProfile,
	aProfileForm,
	anOrganizationWithStaff,
	type StaffedOrganization
} from '../../test/factories/partner-search.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { mayOn } from '../../kernel/policy.ts';
import { partnerProfile } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { readProfileFilter } from '../input.ts';
import { readNames } from '../names.ts';
import { getProfile, listProfiles, ownProfiles } from './queries.ts';
import { renewProfile, saveProfile } from './commands.ts';

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

describe.each(testDatabases)('organizations’ profiles on $name', (database) => {
	let h: DatabaseHandle;
	let horby: StaffedOrganization;
	let peja: StaffedOrganization;
	let ale: StaffedOrganization;
	let ghanzi: StaffedOrganization;
	let example: StaffedOrganization;
	let museum: StaffedOrganization;
	let roles: Record<'admin' | 'editor' | 'author' | 'reader', TestActor>;

	beforeAll(async () => {
		h = await database.open();
		// Not about the demo: the listing holds only this file's profiles.
		await h.db.delete(partnerProfile);
		horby = await anOrganizationWithStaff(h.db, { name: { sv: 'Hörby kommun', en: 'Hörby Municipality' } });
		peja = await anOrganizationWithStaff(h.db, {
			name: { sv: 'Peja kommun (Pejë)', en: 'Municipality of Peja (Pejë)' },
			country: 'XK'
		});
		ale = await anOrganizationWithStaff(h.db, { name: { sv: 'Ale kommun', en: 'Ale Municipality' } });
		ghanzi = await anOrganizationWithStaff(h.db, { name: { en: 'Ghanzi District Council' }, country: 'BW' });
		example = await anOrganizationWithStaff(h.db, { name: { sv: 'Exempelkommun' } });
		museum = await anOrganizationWithStaff(h.db, { name: { sv: 'Kalmar läns museum' } });
		roles = await everyRole(h.db);
		await aProfile(h.db, ale, {
			themes: ['participation', 'transparency'],
			goals: [11, 16],
			targets: ['11.3', '16.7'],
			regions: ['africa'],
			languages: ['sv', 'en']
		});
		await aProfile(h.db, ghanzi, {
			themes: ['participation', 'accountability'],
			goals: [5, 16],
			targets: ['16.7'],
			regions: ['europe', 'SE'],
			languages: ['en', 'tn']
		});
		await aProfile(h.db, example, {
			themes: ['non-discrimination', 'gender-equality'],
			goals: [5, 10],
			targets: ['10.2'],
			regions: ['latin-america'],
			languages: ['sv', 'es']
		});
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
	const list = async (query = '', locale: 'sv' | 'en' = 'sv') =>
		listProfiles(h.db, await readNames(h.db, locale), readProfileFilter(new URLSearchParams(query)));
	const listed = async (query = '') =>
		(await list(query)).items.map((p) => p.organization.id).sort((a, b) => a - b);
	const ids = (...orgs: StaffedOrganization[]) => orgs.map((o) => o.id).sort((a, b) => a - b);

	it('refuses the signed out, and people outside the organization with a 403', async () => {
		await expect(saveProfile(h.db, null, aProfileForm(horby.id))).rejects.toMatchObject({
			signInRequired: true
		});
		// Working for another organization is not working for this one: forbidden, not a form error.
		for (const outsider of [peja.staff[0]!, roles.reader, roles.author]) {
			await expect(saveProfile(h.db, outsider, aProfileForm(horby.id))).rejects.toSatisfy(
				(e) => e instanceof ForbiddenError && !e.signInRequired
			);
			await expect(renewProfile(h.db, outsider, { organization: String(ale.id) })).rejects.toSatisfy(
				(e) => e instanceof ForbiddenError && !e.signInRequired
			);
		}
		const [none] = await h.db
			.select()
			.from(partnerProfile)
			.where(eq(partnerProfile.organizationId, horby.id));
		expect(none).toBeUndefined();
		expect(await problems(saveProfile(h.db, horby.staff[0]!, aProfileForm(999_999_999)))).toEqual([
			'organization:unknownOrganization'
		]);
	});

	it('asks the policy: editors may edit any profile, staff their own organization’s', async () => {
		const rule = partnerSearchPolicy.editProfile;
		const subject = { staff: [horby.staff[0]!.id] };
		expect(await mayOn(horby.staff[0]!, rule, subject)).toBe(true);
		expect(await mayOn(peja.staff[0]!, rule, subject)).toBe(false);
		expect(await mayOn(roles.editor, rule, subject)).toBe(true);
		expect(await mayOn(roles.admin, rule, subject)).toBe(true);
		expect(await mayOn(roles.author, rule, subject)).toBe(false);
		expect(await mayOn(null, rule, subject)).toBe(false);
		// An editor saves a profile for an organization they do not work for.
		const { created } = await saveProfile(
			h.db,
			roles.editor,
			aProfileForm(museum.id, { contactEmail: 'museum@example.se' })
		);
		expect(created).toBe(true);
		await h.db.delete(partnerProfile).where(eq(partnerProfile.organizationId, museum.id));
	});

	it('lets staff post their profile: audited, valid for 12 months, the address never listed', async () => {
		const hanna = horby.staff[0]!;
		expect(await problems(saveProfile(h.db, hanna, aProfileForm(horby.id, { themes: ['sport'] })))).toEqual([
			'themes:invalidTheme'
		]);
		// Unknown tags and malformed fields are named together, in the form's order.
		expect(
			await problems(
				saveProfile(
					h.db,
					hanna,
					aProfileForm(horby.id, { themes: ['sport'], targets: '16.99', contactEmail: 'not an address' })
				)
			)
		).toEqual(['themes:invalidTheme', 'targets:targetMissing', 'contactEmail:invalidEmail']);
		const { id, created } = await saveProfile(
			h.db,
			hanna,
			aProfileForm(horby.id, { contactName: hanna.name, contactEmail: hanna.email })
		);
		expect(created).toBe(true);
		const [row] = await h.db.select().from(partnerProfile).where(eq(partnerProfile.id, id));
		const months = (row!.expiresAt.getTime() - Date.now()) / (30.44 * 86_400_000);
		expect(months).toBeGreaterThan(11.9);
		expect(months).toBeLessThan(12.1);
		// The contact address is a member's account: mail to the profile goes in their language.
		expect(row!.contactUserId).toBe(hanna.id);
		const created_ = await lastAudit('partner-profile.create');
		expect(created_?.actorId).toBe(hanna.id);
		expect(created_?.subject).toBe(`partner-profile:${id}`);
		expect(JSON.stringify(created_?.after)).not.toContain(hanna.email);

		const listing = await list();
		expect(listing.items.map((p) => p.organization.id)).toContain(horby.id);
		expect(JSON.stringify(listing)).not.toContain('@');
		const one = await getProfile(h.db, 'en', id);
		expect(one.organization.name).toBe('Hörby Municipality');
		expect(one.offer).toEqual({
			text: 'We have long experience of citizen dialogue and open council meetings.',
			lang: 'en'
		});
		expect(one.seek).toEqual({ text: 'En kommun på Balkan som vill arbeta med insyn.', lang: 'sv' });
		expect(one.regions.map((r) => r.name)).toEqual(['Europe', 'Kosovo']);
		expect(one.themes.map((t) => t.name)).toEqual(['Participation', 'Transparency']);
		expect(JSON.stringify(one)).not.toContain('@');

		// Saving again updates the same profile; an address that is nobody's account is no one's language.
		const again = await saveProfile(
			h.db,
			hanna,
			aProfileForm(horby.id, {
				seekEn: 'A municipality in the Balkans.',
				contactEmail: 'hanna@horby.example'
			})
		);
		expect(again).toEqual({ id, created: false });
		const [updated] = await h.db.select().from(partnerProfile).where(eq(partnerProfile.id, id));
		expect(updated!.contactUserId).toBeNull();
		const own = await ownProfiles(h.db, hanna, 'sv');
		expect(own.chosen?.id).toBe(horby.id);
		expect(own.profile?.values.seekEn).toBe('A municipality in the Balkans.');
		expect(own.profile?.values.contactEmail).toBe('hanna@horby.example');
		await expect(ownProfiles(h.db, hanna, 'sv', ale.id)).rejects.toThrow(NotFoundError);
		const nobody = await anActor(h.db, 'reader');
		expect(await ownProfiles(h.db, nobody, 'sv')).toEqual({ memberships: [], chosen: null, profile: null });
	});

	it('filters the listing by theme, goal, target, place, language and text', async () => {
		await saveProfile(
			h.db,
			peja.staff[0]!,
			aProfileForm(peja.id, {
				themes: ['participation', 'transparency'],
				goals: [],
				targets: '16.7, 16.6',
				regions: ['SE'],
				languages: ['sq', 'en'],
				offerSv: '',
				offerEn: 'Youth councils in every district of Peja.',
				seekSv: '',
				seekEn: 'A Swedish municipality to learn open budgeting with.',
				contactName: 'Petrit Peja',
				contactEmail: 'petrit@peja.example'
			})
		);
		expect(await listed('theme=accountability')).toEqual(ids(ghanzi));
		expect(await listed('sdg=11')).toEqual(ids(ale));
		expect(await listed('sdg=16.6')).toEqual(ids(horby, peja));
		expect(await listed('sdg=10')).toEqual(ids(example));
		expect(await listed('location=XK')).toEqual(ids(peja));
		expect(await listed('location=africa')).toEqual(ids(ghanzi));
		// Looking in Sweden: those who name Sweden, or Europe, which holds it.
		expect(await listed('region=SE')).toEqual(ids(ghanzi, horby, peja));
		expect(await listed('region=africa')).toEqual(ids(ale));
		expect(await listed('region=europe')).toEqual(ids(ghanzi, horby, peja));
		expect(await listed('language=sq')).toEqual(ids(horby, peja));
		expect(await listed('q=youth councils')).toEqual(ids(peja));
		expect(await listed('q=50%25')).toEqual([]);
		expect(await listed('q=hanna@horby')).toEqual([]);
		expect((await list('page=2')).items).toEqual([]);
		expect((await list()).total).toBe(5);
		expect(await problems(list('theme=sport'))).toEqual(['theme:invalidTheme']);
		expect(await problems(list('sdg=16.999'))).toEqual(['sdg:invalidSdg']);
		expect(await problems(list('sdg=16.z'))).toEqual(['sdg:unknownTarget']);
	});

	it('never fails with anything but a domain error, whatever the form sends', async () => {
		const text = fc.oneof(
			fc.string({ maxLength: 80, unit: 'binary' }),
			fc.constantFrom('\u0000', '\ud800', 'participation', '16.7', 'SE', 'sv', 'a@b.se')
		);
		const field = fc.oneof(text, fc.array(text, { maxLength: 5 }), fc.anything());
		const form = fc.record(
			{
				themes: field,
				goals: field,
				targets: field,
				regions: field,
				languages: field,
				offerSv: field,
				seekEn: field,
				contactName: field,
				contactEmail: field
			},
			{ requiredKeys: [] }
		);
		const known = [ValidationError, NotFoundError, ForbiddenError];
		await fc.assert(
			fc.asyncProperty(form, async (raw) => {
				try {
					await saveProfile(h.db, museum.staff[0]!, { ...raw, organization: String(museum.id) });
				} catch (e) {
					expect(
						known.some((k) => e instanceof k),
						String(e)
					).toBe(true);
				}
			}),
			{ numRuns: 60 }
		);
		// Whatever was saved along the way is a well-formed profile; remove it again.
		await h.db.delete(partnerProfile).where(eq(partnerProfile.organizationId, museum.id));
	});

	it('drops expired profiles from the listing until they are renewed', async () => {
		const petrit = peja.staff[0]!;
		const own = (await ownProfiles(h.db, petrit, 'sv')).profile!;
		await h.db
			.update(partnerProfile)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(partnerProfile.id, own.id));
		expect(await listed()).not.toContain(peja.id);
		await expect(getProfile(h.db, 'sv', own.id)).rejects.toThrow(NotFoundError);
		expect((await ownProfiles(h.db, petrit, 'sv')).profile?.expired).toBe(true);
		const { expiresAt } = await renewProfile(h.db, petrit, { organization: String(peja.id) });
		expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now() + 360 * 86_400_000);
		expect(await listed()).toContain(peja.id);
		const renewed = await lastAudit('partner-profile.renew');
		expect(renewed?.actorId).toBe(petrit.id);
		// Renewing a profile that does not exist changes nothing, and leaves no trace.
		const curator = museum.staff[0]!;
		await expect(renewProfile(h.db, curator, { organization: String(museum.id) })).rejects.toThrow(
			NotFoundError
		);
		const [none] = await h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'partner-profile.renew'), eq(auditLog.actorId, curator.id)));
		expect(none).toBeUndefined();
	});
});
