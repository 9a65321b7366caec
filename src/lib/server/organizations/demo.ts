import { inArray } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { readDataFile } from '../kernel/data-files.ts';
import { runSystemChange } from '../kernel/write.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { organization, type OrganizationKind } from './schema.ts';

interface OrganizationFile {
	key: string;
	kind: OrganizationKind;
	name: LocalizedText;
	country: string;
	municipalityCode: string | null;
	county: string | null;
	lat: number | null;
	lon: number | null;
}

/**
 * The demo's organizations (data/demo/organizations.json) that are not there yet. Swedish
 * municipalities and regions are reference rows already and are used as they are.
 */
export async function addDemoOrganizations(db: Database): Promise<void> {
	const file = readDataFile<OrganizationFile[]>('demo', 'organizations.json');
	const known = new Set(
		(
			await db
				.select({ slug: organization.slug })
				.from(organization)
				.where(
					inArray(
						organization.slug,
						file.map((o) => o.key)
					)
				)
		).map((o) => o.slug)
	);
	const missing = file.filter((o) => !known.has(o.key));
	if (!missing.length) return;
	await runSystemChange(db, async (tx) => {
		await tx
			.insert(organization)
			.values(
				missing.map((o) => ({
					slug: o.key,
					kind: o.kind,
					name: o.name,
					country: o.country,
					municipalityCode: o.municipalityCode,
					county: o.county,
					lat: o.lat,
					lon: o.lon
				}))
			)
			.onConflictDoNothing({ target: organization.slug });
		return {
			result: undefined,
			audit: { action: 'organization.demo', after: { slugs: missing.map((o) => o.key) } },
			public: true
		};
	});
}
