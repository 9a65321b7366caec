import { swedishRegions } from './sweden.ts';

let names: Record<string, string> | undefined;

/** County code → the county's name ("14" → "Västra Götaland"), for filters and pages. */
export function countyNames(): Record<string, string> {
	names ??= Object.fromEntries(swedishRegions().map((r) => [r.county, r.name]));
	return names;
}
