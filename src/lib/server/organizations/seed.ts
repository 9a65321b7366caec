import { sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { slugify } from '../kernel/slug.ts';
import { swedishMunicipalities, swedishRegions } from '../taxonomy/sweden.ts';
import { organization } from './schema.ts';

/**
 * The Swedish municipalities and regions, upserted on every start (names and places may change).
 * Only a changed one is written: rewriting all 310 on each start left dead rows and filled the
 * name index's pending list (7,368 entries after a day of restarts), which every search by name
 * then read through, so PostgreSQL chose to read the whole table instead.
 */
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
			},
			setWhere: sql`(${organization.name}, ${organization.county}, ${organization.municipalityCode}, ${organization.lat}, ${organization.lon}, ${organization.reference})
				is distinct from (excluded.name, excluded.county, excluded.municipality_code, excluded.lat, excluded.lon, true)`
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
 * Municipalities that call themselves a city ("stad"), in their own spelling: Göteborgs Stad and
 * Borås Stad write it with a capital.
 */
const cities: Record<string, string> = {
	Borås: 'Borås Stad',
	Göteborg: 'Göteborgs Stad',
	Haparanda: 'Haparanda stad',
	Helsingborg: 'Helsingborgs stad',
	Landskrona: 'Landskrona stad',
	Lidingö: 'Lidingö stad',
	Malmö: 'Malmö stad',
	Mölndal: 'Mölndals stad',
	Solna: 'Solna stad',
	Stockholm: 'Stockholms stad',
	Sundbyberg: 'Sundbybergs stad',
	Trollhättan: 'Trollhättans stad',
	Vaxholm: 'Vaxholms stad',
	Västerås: 'Västerås stad'
};

/** The names that do not follow the genitive rule below. */
const irregular: Record<string, string> = {
	Falun: 'Falu kommun',
	Kalmar: 'Kalmar kommun',
	Orust: 'Orust kommun',
	Gotland: 'Region Gotland'
};

/**
 * A municipality's official Swedish name from its short name: "Ale kommun", "Marks kommun",
 * "Alingsås kommun", "Falu kommun", "Göteborgs Stad". The genitive takes an s after a consonant
 * other than s, x or z, and none after a vowel; the exceptions are listed above.
 */
export function officialMunicipalityName(name: string): string {
	const known = cities[name] ?? irregular[name];
	if (known) return known;
	return /[^aeiouyåäösxz]$/iu.test(name) ? `${name}s kommun` : `${name} kommun`;
}

/**
 * The 290 municipalities and 21 regions (data/geo), as organizations every partnership can name,
 * by their official names. Gotland is one organization, Region Gotland, which is both the
 * municipality (0980) and the region: its address is the municipality's.
 */
function* referenceOrganizations() {
	const taken = new Set<string>();
	for (const m of swedishMunicipalities()) {
		// The address stays the short name + "kommun" it always had ("falun-kommun"), so links hold.
		let slug = slugify(`${m.name} kommun`);
		// Håbo and Habo fold to the same letters: the second keeps its code in the address.
		if (taken.has(slug)) slug = `${slug}-${m.code}`;
		taken.add(slug);
		const sv = officialMunicipalityName(m.name);
		yield {
			slug,
			kind: 'municipality' as const,
			name: { sv, en: m.code === gotland ? sv : `${m.name} Municipality` },
			country: 'SE',
			municipalityCode: m.code,
			county: m.county,
			reference: true,
			lat: m.lat,
			lon: m.lon
		};
	}
	for (const r of swedishRegions()) {
		if (r.county === gotland.slice(0, 2)) continue;
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

/** Gotland's municipality code: the municipality is also the region. */
const gotland = '0980';
