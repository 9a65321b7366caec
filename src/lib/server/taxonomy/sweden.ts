import { geoCentroid } from 'd3-geo';
import { feature } from 'topojson-client';
import { swedenTopology, type MunicipalityProperties } from '../kernel/maps/topology.ts';

/**
 * Sweden's 290 municipalities and 21 regions (counties), as reference data.
 * Read from data/geo/sweden.topo.json (kernel/maps/topology.ts), which scripts/build-geo.js builds from Open Knowledge
 * Sweden's simplification of Valmyndigheten's boundaries (see data/geo/README.md). Paths resolve
 * from the working directory like the seed's (`REFERENCE_DATA_DIR`, default `data`), so the same
 * code reads the same files in dev, in tests and in the built server started from the project root.
 */

export interface SwedishMunicipality {
	/** Four-digit municipality code ("1440"). */
	code: string;
	/** The short name as the data gives it ("Ale", "Göteborg"), not the official "Ale kommun". */
	name: string;
	/** Two-digit county code ("14"). */
	county: string;
	/** The source's centroid. */
	lat: number;
	lon: number;
}

export interface SwedishRegion {
	/** Two-digit county code ("21"); the region is the county's regional body. */
	county: string;
	/** The county's name as the data gives it ("Gävleborg"), not "Region Gävleborg". */
	name: string;
	/** Centroid of the county's area (d3-geo `geoCentroid`). */
	lat: number;
	lon: number;
}

let municipalities: readonly Readonly<SwedishMunicipality>[] | undefined;
let municipalitiesByCode: Map<string, Readonly<SwedishMunicipality>> | undefined;
let regions: readonly Readonly<SwedishRegion>[] | undefined;

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

/** The 290 municipalities, by code. */
export function swedishMunicipalities(): SwedishMunicipality[] {
	municipalities ??= swedenTopology()
		.objects.municipalities.geometries.map((g) => {
			const p = g.properties as MunicipalityProperties;
			return Object.freeze({ code: p.code, name: p.name, county: p.county, lat: p.lat, lon: p.lon });
		})
		.sort((a, b) => a.code.localeCompare(b.code));
	return municipalities.slice();
}

/** One municipality by its four-digit code. */
export function swedishMunicipality(code: string): SwedishMunicipality | undefined {
	municipalitiesByCode ??= new Map(swedishMunicipalities().map((m) => [m.code, m]));
	return municipalitiesByCode.get(code);
}

/** The 21 regions (counties), by county code, with the centroid of each county's area. */
export function swedishRegions(): SwedishRegion[] {
	if (!regions) {
		const topo = swedenTopology();
		regions = feature(topo, topo.objects.regions)
			.features.map((f) => {
				const [lon, lat] = geoCentroid(f);
				return Object.freeze({
					county: f.properties.county,
					name: f.properties.name,
					lat: round5(lat),
					lon: round5(lon)
				});
			})
			.sort((a, b) => a.county.localeCompare(b.county));
	}
	return regions.slice();
}
