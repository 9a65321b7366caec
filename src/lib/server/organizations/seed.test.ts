import { describe, expect, it } from 'vitest';
import { swedishMunicipalities } from '../taxonomy/sweden.ts';
import { officialMunicipalityName } from './seed.ts';

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
});
