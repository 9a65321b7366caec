import { describe, expect, it } from 'vitest';
import { geoContains } from 'd3-geo';
import { feature } from 'topojson-client';
import { swedishMunicipalities, swedishMunicipality, swedishRegions } from './sweden.ts';
import { swedenTopology } from '../kernel/maps/topology.ts';

/** Sweden's extent with a little margin (Smygehuk 55.34° N … Treriksröset 69.06° N; 10.96° E … 24.17° E). */
const inSweden = (p: { lat: number; lon: number }) =>
	p.lat > 55.2 && p.lat < 69.2 && p.lon > 10.9 && p.lon < 24.3;

describe('Swedish municipalities', () => {
	const all = swedishMunicipalities();

	it('has all 290, with unique four-digit codes and names', () => {
		expect(all).toHaveLength(290);
		expect(new Set(all.map((m) => m.code)).size).toBe(290);
		for (const m of all) {
			expect(m.code).toMatch(/^\d{4}$/);
			expect(m.county).toMatch(/^\d{2}$/);
			expect(m.code.slice(0, 2)).toBe(m.county);
			expect(m.name.length).toBeGreaterThan(1);
		}
		expect(all.map((m) => m.code)).toEqual([...all.map((m) => m.code)].sort());
	});

	it('has centroids inside Sweden', () => {
		for (const m of all) expect(inSweden(m), `${m.code} ${m.name}`).toBe(true);
	});

	it('knows the demo municipalities by code', () => {
		expect(swedishMunicipality('1440')).toMatchObject({ name: 'Ale', county: '14' });
		expect(swedishMunicipality('1266')).toMatchObject({ name: 'Hörby', county: '12' });
		expect(swedishMunicipality('0980')).toMatchObject({ name: 'Gotland', county: '09' });
		expect(swedishMunicipality('9999')).toBeUndefined();
	});

	it('is loaded once and handed out as a copy', () => {
		const again = swedishMunicipalities();
		expect(again).not.toBe(all);
		expect(again[0]).toBe(all[0]);
		expect(Object.isFrozen(all[0])).toBe(true);
	});
});

describe('Swedish regions', () => {
	const regions = swedishRegions();
	const municipalities = swedishMunicipalities();

	it('has the 21 counties, each with municipalities', () => {
		expect(regions).toHaveLength(21);
		const counties = new Set(municipalities.map((m) => m.county));
		expect(regions.map((r) => r.county)).toEqual([...counties].sort());
		expect(regions.find((r) => r.county === '21')?.name).toBe('Gävleborg');
		expect(regions.find((r) => r.county === '01')?.name).toBe('Stockholm');
	});

	it('has centroids inside Sweden, within the county', () => {
		const topo = swedenTopology();
		const shapes = feature(topo, topo.objects.municipalities).features;
		for (const r of regions) {
			expect(inSweden(r), r.name).toBe(true);
			const under = shapes.find((s) => geoContains(s, [r.lon, r.lat]));
			expect(under?.properties.county, r.name).toBe(r.county);
		}
	});

	it('has Gotland both as region 09 and as municipality 0980, on the same island', () => {
		const region = regions.find((r) => r.county === '09');
		expect(region?.name).toBe('Gotland');
		const gotland = municipalities.filter((m) => m.county === '09');
		expect(gotland.map((m) => m.code)).toEqual(['0980']);
		expect(Math.abs(region!.lat - gotland[0]!.lat)).toBeLessThan(0.2);
	});
});
