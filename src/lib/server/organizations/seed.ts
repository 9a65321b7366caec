import { sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { slugify } from '../kernel/slug.ts';
import { swedishMunicipalities, swedishRegions } from '../taxonomy/sweden.ts';
import { organization } from './schema.ts';

/** The Swedish municipalities and regions, upserted on every start (names and places may change). */
export async function seedReferenceOrganizations(db: Database): Promise<void> {
	await db
		.insert(organization)
		.values([...referenceOrganizations()])
		.onConflictDoUpdate({
			target: organization.slug,
			set: {
				name: sql`excluded.name`,
				county: sql`excluded.county`,
				municipalityCode: sql`excluded.municipality_code`,
				lat: sql`excluded.lat`,
				lon: sql`excluded.lon`,
				reference: true
			}
		});
}

/** Regions whose own name is not "Region" and the county's name. */
const regionNames: Record<string, string> = {
	'04': 'Region Sörmland',
	'06': 'Region Jönköpings län',
	'08': 'Region Kalmar län',
	'14': 'Västra Götalandsregionen',
	'18': 'Region Örebro län',
	'23': 'Region Jämtland Härjedalen'
};

/**
 * The 290 municipalities and 21 regions (data/geo), as organizations every partnership can name.
 * Their names follow the common pattern ("Ale kommun", "Region Gävleborg").
 */
function* referenceOrganizations() {
	const taken = new Set<string>();
	for (const m of swedishMunicipalities()) {
		const sv = `${m.name} kommun`;
		// Håbo and Habo fold to the same letters: the second keeps its code in the address.
		let slug = slugify(sv);
		if (taken.has(slug)) slug = `${slug}-${m.code}`;
		taken.add(slug);
		yield {
			slug,
			kind: 'municipality' as const,
			name: { sv, en: `${m.name} Municipality` },
			country: 'SE',
			municipalityCode: m.code,
			county: m.county,
			reference: true,
			lat: m.lat,
			lon: m.lon
		};
	}
	for (const r of swedishRegions()) {
		const sv = regionNames[r.county] ?? `Region ${r.name}`;
		yield {
			slug: slugify(sv),
			kind: 'region' as const,
			name: { sv, en: sv },
			country: 'SE',
			municipalityCode: r.county,
			county: r.county,
			reference: true,
			lat: r.lat,
			lon: r.lon
		};
	}
}
