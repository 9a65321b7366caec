import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabases } from '../../test/databases.ts';
import { anActor } from '../../test/actors.ts';
import {
	aProfile,
	anOrganizationWithStaff,
	employ,
	type StaffedOrganization
} from '../../test/factories/partner-search.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { partnership, partnershipMember, partnershipTheme } from '../../partnerships/schema.ts';
import { partnerProfile } from '../schema.ts';
import { readNames } from '../names.ts';
import { suggestedMatches } from './queries.ts';

describe.each(testDatabases)('suggested partners on $name', (database) => {
	let h: DatabaseHandle;
	let horby: StaffedOrganization;
	let peja: StaffedOrganization;
	let ale: StaffedOrganization;
	let ghanzi: StaffedOrganization;

	beforeAll(async () => {
		h = await database.open();
		await h.db.delete(partnerProfile);
		horby = await anOrganizationWithStaff(h.db, { name: { sv: 'Hörby kommun', en: 'Hörby Municipality' } });
		peja = await anOrganizationWithStaff(h.db, {
			name: { sv: 'Peja kommun (Pejë)', en: 'Municipality of Peja (Pejë)' },
			country: 'XK'
		});
		ale = await anOrganizationWithStaff(h.db, { name: { sv: 'Ale kommun', en: 'Ale Municipality' } });
		ghanzi = await anOrganizationWithStaff(h.db, { name: { en: 'Ghanzi District Council' }, country: 'BW' });
		await aProfile(h.db, horby, {
			themes: ['participation', 'transparency'],
			goals: [16],
			targets: ['16.7', '16.6'],
			regions: ['europe', 'XK'],
			languages: ['sv', 'en', 'sq']
		});
		await aProfile(h.db, peja, {
			themes: ['participation', 'transparency'],
			targets: ['16.7', '16.6'],
			regions: ['SE'],
			languages: ['sq', 'en']
		});
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
	});
	afterAll(async () => {
		await h?.close();
	});

	const suggest = async (actor: Parameters<typeof suggestedMatches>[1], locale: 'sv' | 'en' = 'sv') =>
		suggestedMatches(h.db, actor, await readNames(h.db, locale));

	it('suggests the best fit first, each with its reasons in words', async () => {
		const [forPeja] = await suggest(peja.staff[0]!);
		expect(forPeja?.organization.id).toBe(peja.id);
		expect(forPeja?.basis).toBe('profile');
		const first = forPeja!.matches[0]!;
		expect(first.profile.organization.id).toBe(horby.id);
		expect(first.reasons).toEqual([
			'Båda arbetar med deltagande, transparens, delmål 16.7 (Säkra inkluderande och deltagande beslutsfattande) och delmål 16.6 (Bygg effektiva, öppna och ansvarsutkrävande institutioner)',
			'Hörby kommun söker partner i Kosovo',
			'Ni söker partner i Sverige, där Hörby kommun finns',
			'Ni har engelska och albanska gemensamt'
		]);
		expect(forPeja!.matches.map((m) => m.profile.organization.id)).not.toContain(peja.id);
		const scores = forPeja!.matches.map((m) => m.score);
		expect([...scores].sort((a, b) => b - a)).toEqual(scores);

		const [inEnglish] = await suggest(peja.staff[0]!, 'en');
		expect(inEnglish!.matches[0]!.reasons).toEqual([
			'Both work on participation, transparency, target 16.7 (Ensure inclusive and participatory decision-making) and target 16.6 (Build effective, accountable and transparent institutions)',
			'Hörby Municipality is looking for partners in Kosovo',
			'You are looking for partners in Sweden, where Hörby Municipality is',
			'You both work in English and Albanian'
		]);
		expect(inEnglish!.matches[0]!.profile.themes.map((t) => t.name)).toEqual([
			'Participation',
			'Transparency'
		]);

		// Ale looks in Africa: Ghanzi is there, and looks in Sweden.
		const [forAle] = await suggest(ale.staff[0]!);
		const match = forAle!.matches.find((m) => m.profile.organization.id === ghanzi.id);
		expect(match?.reasons).toContain('Ghanzi District Council söker partner i Sverige');
		expect(match?.reasons).toContain('Ni söker partner i Afrika, där Ghanzi District Council finns');
		expect(match?.reasons[0]).toBe(
			'Båda arbetar med deltagande och delmål 16.7 (Säkra inkluderande och deltagande beslutsfattande)'
		);
	});

	it('suggests partners only from the other side: abroad for a Swedish organization, Swedish for one abroad', async () => {
		// Hörby and Ale share participation, transparency and target 16.7; Peja and Ghanzi share
		// participation and 16.7: neither pair is a partnership the programme funds.
		const [forAle] = await suggest(ale.staff[0]!);
		const [forPeja] = await suggest(peja.staff[0]!);
		const [forGhanzi] = await suggest(ghanzi.staff[0]!);
		const ids = (s: typeof forAle) => s!.matches.map((m) => m.profile.organization.id).sort();
		expect(ids(forAle)).toEqual([peja.id, ghanzi.id].sort());
		expect(ids(forPeja)).toEqual([horby.id, ale.id].sort());
		expect(ids(forGhanzi)).toEqual([horby.id, ale.id].sort());
		for (const m of forAle!.matches) expect(m.profile.organization.country).not.toBe('SE');
	});

	it('suggests nothing to the signed out or to people of no organization; asks for a profile otherwise', async () => {
		expect(await suggest(null)).toEqual([]);
		expect(await suggest(await anActor(h.db, 'reader'))).toEqual([]);
		const museum = await anOrganizationWithStaff(h.db, { name: { sv: 'Kalmar läns museum' } });
		const [forMuseum] = await suggest(museum.staff[0]!);
		expect(forMuseum).toMatchObject({ basis: 'none', matches: [] });
	});

	it('without a profile, suggests from what the organization’s partnerships work on', async () => {
		const ps = await anOrganizationWithStaff(h.db, { name: { sv: 'Ps kommun', en: 'Ps Municipality' } });
		const [p] = await h.db
			.insert(partnership)
			.values({ slug: `ps-partnerskap-${ps.id}`, status: 'active', summary: {} })
			.returning({ id: partnership.id });
		await h.db
			.insert(partnershipMember)
			.values({ partnershipId: p!.id, organizationId: ps.id, role: 'swedish' });
		await h.db.insert(partnershipTheme).values({ partnershipId: p!.id, themeKey: 'accountability' });
		const [forPs] = await suggest(ps.staff[0]!);
		expect(forPs?.basis).toBe('partnerships');
		expect(forPs?.matches[0]?.profile.organization.id).toBe(ghanzi.id);
		expect(forPs?.matches[0]?.reasons).toContain('Ghanzi District Council söker partner i Sverige');
	});

	it('gives each of a person’s organizations its own suggestions, from one read of the profiles', async () => {
		const both = ale.staff[0]!;
		await employ(h.db, both, peja.id);
		const names = await readNames(h.db, 'sv');
		// Three reads whatever the number of organizations: their memberships, the listed profiles
		// (each once) and their own profiles; the names are the page's, read before.
		const select = vi.spyOn(h.db, 'select');
		const groups = await suggestedMatches(h.db, both, names);
		expect(select).toHaveBeenCalledTimes(3);
		select.mockRestore();
		expect(groups.map((g) => g.organization.name)).toEqual(['Ale kommun', 'Peja kommun (Pejë)']);
		expect(groups.map((g) => g.basis)).toEqual(['profile', 'profile']);
		// Each organization's own profile is left out of its own suggestions only.
		expect(groups[0]!.matches.map((m) => m.profile.organization.id)).toContain(peja.id);
		expect(groups[1]!.matches.map((m) => m.profile.organization.id)).toContain(ale.id);
		expect(groups[1]!.matches[0]!.profile.organization.id).toBe(horby.id);
	});
});
