import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { organization } from '../organizations/schema.ts';
import { getOrganization, listOrganizations, parseOrganizationFilter } from '../organizations/queries.ts';
import { getPartnership, partnershipFilterOptions } from './queries.ts';
import { findPartnerships } from './service.ts';
import { parsePartnershipFilter } from './validation.ts';

describe('reading the partnership filters', () => {
	it('names every bad or repeated parameter and ignores unknown ones', () => {
		expect(parsePartnershipFilter(new URLSearchParams('sdg=11.3&county=14&utm_source=x'))).toEqual({
			target: '11.3',
			county: '14',
			page: 1
		});
		try {
			parsePartnershipFilter(new URLSearchParams('status=paused&county=1&country=S&sdg=18&page=0&theme=A'));
			expect.unreachable();
		} catch (e) {
			expect((e as ValidationError).problems.map((p) => p.field).sort()).toEqual(
				['country', 'county', 'page', 'sdg', 'status', 'theme'].sort()
			);
		}
	});
	it('answers any query string with a filter or a ValidationError, never anything else', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.constantFrom('status', 'theme', 'sdg', 'country', 'county', 'page', 'x'),
					fc.string({ maxLength: 30 })
				),
				(params) => {
					for (const parse of [parsePartnershipFilter, parseOrganizationFilter]) {
						try {
							parse(new URLSearchParams(params));
						} catch (e) {
							expect(e).toBeInstanceOf(ValidationError);
						}
					}
				}
			)
		);
	});
});

describe.each(testDatabases)('the partnership registry on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('holds all 290 municipalities and 21 regions as reference data, with counties and centroids', async () => {
		const [municipalities] = await h.db
			.select({ n: count() })
			.from(organization)
			.where(eq(organization.kind, 'municipality'));
		const refs = await h.db.select().from(organization).where(eq(organization.reference, true));
		expect(refs.filter((o) => o.kind === 'municipality')).toHaveLength(290);
		expect(refs.filter((o) => o.kind === 'region')).toHaveLength(21);
		expect(municipalities!.n).toBeGreaterThanOrEqual(290);
		const ale = refs.find((o) => o.municipalityCode === '1440')!;
		expect(ale).toMatchObject({ slug: 'ale-kommun', county: '14', country: 'SE' });
		expect(ale.lat).toBeGreaterThan(57);
		expect(ale.lat).toBeLessThan(59);
	});

	it('filters by status, theme, goal or target, country and county', async () => {
		const slugs = async (q: string) =>
			(await findPartnerships(h.db, 'sv', new URLSearchParams(q))).result.rows.map((r) => r.slug).sort();
		expect(await slugs('')).toHaveLength(4);
		expect(await slugs('status=completed')).toEqual(['horby-peja', 'kalmar-cape-winelands']);
		expect(await slugs('sdg=3')).toEqual(['vasterbotten-yogyakarta']);
		expect(await slugs('sdg=11.3')).toEqual(['ale-ghanzi']);
		expect(await slugs('country=xk')).toEqual(['horby-peja']);
		expect(await slugs('county=14')).toEqual(['ale-ghanzi']);
		expect(await slugs('theme=culture')).toEqual(['kalmar-cape-winelands']);
		expect(await slugs('sdg=16.7&status=active')).toEqual(['ale-ghanzi', 'vasterbotten-yogyakarta']);
		await expect(findPartnerships(h.db, 'sv', new URLSearchParams('sdg=16.99'))).rejects.toMatchObject({
			problems: [{ field: 'sdg', code: 'unknownTarget' }]
		});
		const all = (await findPartnerships(h.db, 'sv', new URLSearchParams(''), 2, { withMap: true })).result;
		expect(all.rows).toHaveLength(2);
		expect((await findPartnerships(h.db, 'sv', new URLSearchParams(''), 2)).result.map).toEqual([]);
		expect(all.map).toHaveLength(4);
		expect(all.map.every((p) => p.swedish.length === 1 && p.international.length === 1)).toBe(true);
		const options = await partnershipFilterOptions(h.db);
		expect(options.countries.sort()).toEqual(['BW', 'ID', 'XK', 'ZA']);
		expect(options.targets).toContain('11.3');
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

	it('shows an organization with its partnerships and the inspiration that mentions it', async () => {
		const o = (await getOrganization(h.db, 'sv', 'horby-kommun'))!;
		expect(o.reference).toBe(true);
		expect(o.partnerships.map((p) => p.slug)).toEqual(['horby-peja']);
		expect(o.articles.map((a) => a.slug)).toContain('kritiska-fragor-blev-en-vag-till-dialog');
		const listed = await listOrganizations(
			h.db,
			'sv',
			parseOrganizationFilter(new URLSearchParams('county=14&kind=municipality')),
			100
		);
		expect(listed.total).toBe(49);
		expect(listed.rows.find((r) => r.slug === 'ale-kommun')?.partnerships).toBe(1);
	});
});
