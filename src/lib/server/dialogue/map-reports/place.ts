import type { LocationPrivacy, ReportPrecision } from '../../../dialogue-values.ts';
import type { ReportDistrict } from './schema.ts';

// Where a report is, and what the public may see of it. The public point is worked out once, when
// the report is written, and stored beside the exact one: no public read ever touches `lat`/`lon`.

const metresPerDegree = 111_320;

/** The box a space's map shows: [west, south, east, north]. */
export type Box = [number, number, number, number];

export const inBox = (box: Box, lat: number, lon: number) =>
	lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * The centre of the grid square (about `metres` on each side) the point falls in. Rows are fixed
 * steps of latitude; within a row the step of longitude follows the row's own latitude, so every
 * point of a square gives the same centre and a square stays about as wide as it is high.
 */
export function gridCentre(lat: number, lon: number, metres: number): { lat: number; lon: number } {
	const latStep = metres / metresPerDegree;
	const row = Math.floor(lat / latStep);
	const rowLat = (row + 0.5) * latStep;
	const lonStep = metres / (metresPerDegree * Math.cos((rowLat * Math.PI) / 180));
	const column = Math.floor(lon / lonStep);
	return { lat: round6(rowLat), lon: round6((column + 0.5) * lonStep) };
}

/** A space's way of showing places, as the public point needs it. */
export interface PlacePrivacy {
	privacy: LocationPrivacy;
	gridMeters: number;
	districts: readonly ReportDistrict[];
}

/**
 * What the public sees of a place: the grid square's centre, or the district's centre where the
 * space shows districts only (or the reporter gave only a district). Null when there is nothing
 * to place on the map (a place described in words only).
 */
export function publicPoint(
	setup: PlacePrivacy,
	place: { lat: number | null; lon: number | null; district: string | null; precision: ReportPrecision }
): { lat: number; lon: number } | null {
	const district = place.district ? setup.districts.find((d) => d.name === place.district) : undefined;
	const byDistrict = setup.privacy === 'district' || place.precision === 'district' || place.lat === null;
	if (byDistrict) return district ? { lat: district.lat, lon: district.lon } : null;
	return gridCentre(place.lat!, place.lon!, setup.gridMeters);
}

/** The district whose centre is nearest the point (a point given without one is still counted in one). */
export function nearestDistrict(
	districts: readonly ReportDistrict[],
	lat: number,
	lon: number
): string | null {
	let best: ReportDistrict | null = null;
	let bestDistance = Infinity;
	const cos = Math.cos((lat * Math.PI) / 180);
	for (const d of districts) {
		const distance = ((d.lat - lat) ** 2 + ((d.lon - lon) * cos) ** 2) ** 0.5;
		if (distance < bestDistance) [best, bestDistance] = [d, distance];
	}
	return best?.name ?? null;
}
