import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import { getOrganization, listOrganizations } from './queries.ts';
import { readOrganizationFilter } from './input.ts';
import { organizationListJson, organizationListView } from './views.ts';

describe.each(testDatabases)('organizations on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('gives an organization with the ids of its partnerships and of the inspiration that mentions it', async () => {
		const o = (await getOrganization(h.db, 'sv', 'horby-kommun'))!;
		expect(o).toMatchObject({ slug: 'horby-kommun', name: 'Hörby kommun', country: 'SE', reference: true });
		expect(o.partnershipIds).toHaveLength(1);
		expect(o.articleIds.length).toBeGreaterThan(0);
		expect(await getOrganization(h.db, 'sv', 'no-such-organization')).toBeNull();

		const abroad = await anOrganization(h.db, { name: 'Kanye District' });
		const partnership = await aPartnership(h.db, { international: [abroad.id] });
		const found = (await getOrganization(h.db, 'en', abroad.slug))!;
		expect(found).toMatchObject({ name: 'Kanye District', reference: false, articleIds: [] });
		expect(found.partnershipIds).toEqual([partnership.id]);
	});

	it('lists organizations by name with how many partnerships each is in, by kind, country and county', async () => {
		const listed = await listOrganizations(
			h.db,
			'sv',
			readOrganizationFilter(new URLSearchParams('county=14&kind=municipality')),
			100
		);
		expect(listed.total).toBe(49);
		expect(listed.rows.find((r) => r.slug === 'ale-kommun')?.partnerships).toBe(1);
		expect(listed.rows[0]!.name).toBe('Ale kommun');
		const page2 = await listOrganizations(
			h.db,
			'sv',
			readOrganizationFilter(new URLSearchParams('county=14&kind=municipality&page=2')),
			20
		);
		expect(page2.rows.map((r) => r.slug)).toEqual(listed.rows.slice(20, 40).map((r) => r.slug));
		const json = organizationListJson('https://example.se', 'en', listed);
		expect(organizationListView.parse(json)).toEqual(json);
		expect(json.items[0]!.url).toMatch(/^https:\/\/example\.se\/en\/organizations\//);
	});
});
