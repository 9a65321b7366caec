import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { organization } from '../organizations/schema.ts';
import { partnerProfile } from './schema.ts';
import { seedDemoProfiles, type DemoProfile } from './demo.ts';

describe.each(testDatabases)('the demo’s profiles on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h?.close();
	});

	const profiledSlugs = async () =>
		(
			await h.db
				.select({ slug: organization.slug })
				.from(partnerProfile)
				.innerJoin(organization, eq(organization.id, partnerProfile.organizationId))
		)
			.map((r) => r.slug)
			.sort();

	it('loads the example profiles once (the demo loaded them with the database)', async () => {
		expect(await profiledSlugs()).toEqual(['ale-kommun', 'bjorkviks-kommun', 'ghanzi-district-council']);
		const [fictional] = await h.db
			.select()
			.from(organization)
			.where(eq(organization.slug, 'bjorkviks-kommun'));
		expect(fictional?.name.sv).toBe('Björkviks kommun');
		expect(await seedDemoProfiles(h.db)).toBe(false);
	});

	it('skips a profile whose organization does not exist, and never creates one', async () => {
		await h.db.delete(partnerProfile);
		const example = (organizationSlug: string): DemoProfile => ({
			organization: organizationSlug,
			themes: ['participation'],
			goals: [16],
			targets: ['16.7'],
			regions: ['europe'],
			languages: ['sv'],
			offer: { sv: '(Exempel) Vi erbjuder dialog.' },
			seek: { sv: '(Exempel) Vi söker en partner.' },
			contactName: 'Exempel',
			contactEmail: 'exempel@example.se'
		});
		expect(await seedDemoProfiles(h.db, [example('ale-kommun'), example('no-such-organization')])).toBe(true);
		expect(await profiledSlugs()).toEqual(['ale-kommun']);
		const [invented] = await h.db
			.select()
			.from(organization)
			.where(eq(organization.slug, 'no-such-organization'));
		expect(invented).toBeUndefined();
	});
});
