import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { organization } from '../organizations/schema.ts';
import { findPartnerships, getPartnership } from './queries.ts';
import { partnershipFilterOptions } from './pickers.ts';
import { readPartnershipFilter } from './input.ts';
import { partnershipJson, partnershipListView, partnershipView, partnershipListJson } from './views.ts';

describe.each(testDatabases)('the partnership registry on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});
	const find = (q: string, perPage?: number, options?: { withMap?: boolean }) =>
		findPartnerships(h.db, 'sv', readPartnershipFilter(new URLSearchParams(q)), perPage, options);

	it('holds all 290 municipalities and 21 regions as reference data (Gotland once), with counties and centroids', async () => {
		const [municipalities] = await h.db
			.select({ n: count() })
			.from(organization)
			.where(eq(organization.kind, 'municipality'));
		const refs = await h.db.select().from(organization).where(eq(organization.reference, true));
		expect(refs.filter((o) => o.kind === 'municipality')).toHaveLength(290);
		// Region Gotland is the municipality and the region in one: one organization, not two.
		expect(refs.filter((o) => o.kind === 'region')).toHaveLength(20);
		expect(refs.filter((o) => o.name.sv?.includes('Gotland')).map((o) => o.name.sv)).toEqual([
			'Region Gotland'
		]);
		const named = (code: string) => refs.find((o) => o.municipalityCode === code)?.name.sv;
		expect(['2080', '1480', '0180', '1463', '2326', '1490', '0980'].map(named)).toEqual([
			'Falu kommun',
			'Göteborgs Stad',
			'Stockholms stad',
			'Marks kommun',
			'Bergs kommun',
			'Borås Stad',
			'Region Gotland'
		]);
		expect(municipalities!.n).toBeGreaterThanOrEqual(290);
		const ale = refs.find((o) => o.municipalityCode === '1440')!;
		expect(ale).toMatchObject({ slug: 'ale-kommun', county: '14', country: 'SE' });
		expect(ale.lat).toBeGreaterThan(57);
		expect(ale.lat).toBeLessThan(59);
	});

	it('filters by status, theme, goal or target, country and county', async () => {
		const slugs = async (q: string) => (await find(q)).rows.map((r) => r.slug).sort();
		expect(await slugs('')).toHaveLength(4);
		expect(await slugs('status=completed')).toEqual(['horby-peja', 'kalmar-cape-winelands']);
		expect(await slugs('sdg=3')).toEqual(['vasterbotten-yogyakarta']);
		expect(await slugs('sdg=11.3')).toEqual(['ale-ghanzi']);
		expect(await slugs('country=xk')).toEqual(['horby-peja']);
		expect(await slugs('county=14')).toEqual(['ale-ghanzi']);
		expect(await slugs('theme=culture')).toEqual(['kalmar-cape-winelands']);
		expect(await slugs('sdg=16.7&status=active')).toEqual(['ale-ghanzi', 'vasterbotten-yogyakarta']);
		await expect(find('sdg=16.99')).rejects.toMatchObject({
			problems: [{ field: 'sdg', code: 'unknownTarget' }]
		});
		await expect(find('theme=no-such-theme')).rejects.toMatchObject({
			problems: [{ field: 'theme', code: 'invalidTheme' }]
		});
		const all = await find('', 2, { withMap: true });
		expect(all.rows).toHaveLength(2);
		expect((await find('', 2)).map).toEqual([]);
		expect(all.map).toHaveLength(4);
		// Two pages of two, newest start first, each counting all four.
		const second = await find('page=2', 2);
		expect([all.total, all.pages, second.total, second.pages]).toEqual([4, 2, 4, 2]);
		const years = [...all.rows, ...second.rows].map((r) => r.startYear ?? 0);
		expect(new Set([...all.rows, ...second.rows].map((r) => r.slug)).size).toBe(4);
		expect(years).toEqual([...years].sort((a, b) => b - a));
		expect((await find('page=3', 2)).rows).toEqual([]);
		expect(all.map.every((p) => p.swedish.length === 1 && p.international.length === 1)).toBe(true);
		const options = await partnershipFilterOptions(h.db, 'sv');
		expect(options.countries.sort()).toEqual(['BW', 'ID', 'XK', 'ZA']);
		// Each target in use with its short title in the language.
		const target = options.targets.find((t) => t.code === '11.3');
		expect(target?.title).toMatch(/\S/);
		expect(
			(await partnershipFilterOptions(h.db, 'en')).targets.find((t) => t.code === '11.3')?.title
		).not.toBe(target?.title);
	});

	it('shows a partnership with members, team on both sides, phases, goals and its inspiration', async () => {
		const p = (await getPartnership(h.db, 'en', 'ale-ghanzi'))!;
		expect(p.swedish.map((o) => o.name)).toEqual(['Ale Municipality']);
		expect(p.international.map((o) => o.country)).toEqual(['BW']);
		expect(
			p.team
				.filter((t) => t.side === 'swedish')
				.map((t) => t.role)
				.sort()
		).toEqual(['civil-servant', 'coordinator', 'majority-politician', 'opposition-politician'].sort());
		expect(p.phases.map((x) => x.phase)).toEqual(['inception', 'active']);
		expect(p.goals).toEqual([11, 16]);
		expect(p.articles.map((a) => a.slug)).toContain('ale-soker-nya-vagar-till-invanarna');
		expect(p.description).toContain('<p>');
		expect(await getPartnership(h.db, 'sv', 'no-such-partnership')).toBeNull();
	});

	it('answers the API in the shapes its schemas (and the OpenAPI document) promise', async () => {
		const page = await find('', 50);
		const list = partnershipListJson('https://example.se', 'en', page);
		expect(partnershipListView.parse(list)).toEqual(list);
		for (const row of page.rows) {
			const detail = partnershipJson(
				'https://example.se',
				'sv',
				(await getPartnership(h.db, 'sv', row.slug))!
			);
			expect(partnershipView.parse(detail)).toEqual(detail);
		}
	});
});
