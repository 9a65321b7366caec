import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../kernel/database.ts';
import { testDatabases } from '../test/databases.ts';
import { swedishMunicipalities } from '../taxonomy/sweden.ts';
import { organization } from './schema.ts';
import { officialMunicipalityName, seedReferenceOrganizations } from './seed.ts';

describe.each(testDatabases)('the reference organizations on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	const row = async (slug: string) =>
		(
			await h.db
				.select({ v: sql<string>`xmin::text`, name: organization.name })
				.from(organization)
				.where(eq(organization.slug, slug))
		)[0]!;

	it('are written again on a start only where they changed', async () => {
		const shipped = (await row('ale-kommun')).name;
		expect(shipped.sv).toBe('Ale kommun');
		await h.db
			.update(organization)
			.set({ name: { sv: 'Gamla Ale', en: 'Old Ale' } })
			.where(eq(organization.slug, 'ale-kommun'));
		const untouched = (await row('alingsas-kommun')).v;
		await seedReferenceOrganizations(h.db);
		expect((await row('ale-kommun')).name).toEqual(shipped);
		// A row written again gets a new version (xmin), and leaves a dead one behind.
		expect((await row('alingsas-kommun')).v).toBe(untouched);
	});
});

describe("the municipalities' official names", () => {
	it('follow the genitive of their short names, with the irregular ones and the cities in their own spelling', () => {
		const cases: Record<string, string> = {
			Ale: 'Ale kommun',
			Alingsås: 'Alingsås kommun',
			Kalix: 'Kalix kommun',
			Mark: 'Marks kommun',
			Berg: 'Bergs kommun',
			Falun: 'Falu kommun',
			Kalmar: 'Kalmar kommun',
			Orust: 'Orust kommun',
			Tjörn: 'Tjörns kommun',
			'Lilla Edet': 'Lilla Edets kommun',
			'Malung-Sälen': 'Malung-Sälens kommun',
			'Upplands Väsby': 'Upplands Väsby kommun',
			'Östra Göinge': 'Östra Göinge kommun',
			Göteborg: 'Göteborgs Stad',
			Stockholm: 'Stockholms stad',
			Västerås: 'Västerås stad',
			Gotland: 'Region Gotland'
		};
		for (const [name, official] of Object.entries(cases))
			expect(officialMunicipalityName(name)).toBe(official);
	});

	it('name each of the 290 once', () => {
		const names = swedishMunicipalities().map((m) => officialMunicipalityName(m.name));
		expect(names).toHaveLength(290);
		expect(new Set(names).size).toBe(290);
		expect(names.filter((n) => / (Stad|stad)$/.test(n))).toHaveLength(14);
	});

	it('agree with the published list of the 290 in their genitive form, but for the cities, Gotland and Orust', () => {
		// data/geo/municipality-names.tsv: "Göteborgs kommun" where the city writes "Göteborgs Stad".
		const listed = new Map(
			readFileSync('data/geo/municipality-names.tsv', 'utf8')
				.trim()
				.split('\n')
				.slice(1)
				.map((line) => line.split('\t') as [string, string])
		);
		const differ: Record<string, [string, string]> = {};
		for (const m of swedishMunicipalities()) {
			const ours = officialMunicipalityName(m.name);
			const theirs = listed.get(m.code);
			expect(theirs, m.code).toBeDefined();
			if (ours !== theirs) differ[m.code] = [ours, theirs!];
		}
		const cities = Object.values(differ).filter(([ours]) => / (Stad|stad)$/.test(ours));
		expect(cities).toHaveLength(14);
		for (const [ours, theirs] of cities) expect(ours.replace(/ (Stad|stad)$/, ' kommun')).toBe(theirs);
		expect(differ['0980']).toEqual(['Region Gotland', 'Gotlands kommun']);
		// The municipality's own name has no genitive s.
		expect(differ['1421']).toEqual(['Orust kommun', 'Orusts kommun']);
		expect(Object.keys(differ)).toHaveLength(16);
	});
});
