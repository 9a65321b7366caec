import { describe, expect, it } from 'vitest';
import { isCountryCode } from '../kernel/countries.ts';
import { countriesOfRegion, placeCovers, regionsOfCountry, worldRegions } from './regions.ts';

describe('world regions', () => {
	it('hold only real country codes, and almost every country is in one', () => {
		for (const region of worldRegions)
			for (const code of countriesOfRegion(region)) expect(isCountryCode(code), code).toBe(true);
		const unplaced = ['AQ', 'BV', 'CC', 'CX', 'GS', 'HM', 'IO', 'TF', 'UM'];
		for (const code of ['SE', 'BW', 'XK', 'ID', 'ZA', 'BR', 'US', 'FJ', 'JO'])
			expect(regionsOfCountry(code).length).toBeGreaterThan(0);
		for (const code of unplaced) expect(regionsOfCountry(code)).toEqual([]);
	});

	it('cover a country by itself or by its region', () => {
		expect(placeCovers('africa', 'BW')).toBe(true);
		expect(placeCovers('BW', 'bw')).toBe(true);
		expect(placeCovers('europe', 'BW')).toBe(false);
		expect(placeCovers('middle-east', 'TR') && placeCovers('europe', 'TR')).toBe(true);
	});
});
