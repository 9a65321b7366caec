import type { MapPartnership } from './queries.ts';

/** The map of a filtered list: filled in once the renderer (maps/) is in place. */
export function partnershipMap(_partnerships: MapPartnership[], _locale: string) {
	return { world: '', sweden: '', legend: [] as { label: string; className: string }[] };
}
