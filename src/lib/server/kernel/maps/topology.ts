import type { GeometryCollection, Topology } from 'topojson-specification';
import { readDataFile } from '../data-files.ts';

/** The simplified outlines in data/geo, built once by scripts/build-geo.js (see data/geo/README.md). */

export interface MunicipalityProperties {
	code: string;
	name: string;
	county: string;
	lat: number;
	lon: number;
}
export interface RegionProperties {
	county: string;
	name: string;
}
export type SwedenTopology = Topology<{
	municipalities: GeometryCollection<MunicipalityProperties>;
	regions: GeometryCollection<RegionProperties>;
}>;

/** Reads a file from data/geo (relative to the working directory, like the seed). */
export function readGeoFile<T>(name: string): T {
	return readDataFile<T>('geo', name);
}

let topology: SwedenTopology | undefined;

/** The simplified municipality and region boundaries (loaded once). */
export function swedenTopology(): SwedenTopology {
	topology ??= readGeoFile<SwedenTopology>('sweden.topo.json');
	return topology;
}
