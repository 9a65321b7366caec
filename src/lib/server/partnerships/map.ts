import { messages, type Locale } from '#lib/i18n/index.ts';
import { localizePath } from '#lib/i18n/locales.ts';
import {
	renderPartnershipMap,
	type MapLink,
	type MapPlace,
	type PartnershipMap
} from '../kernel/maps/render.ts';
import type { MapPartnership, OrganizationRef } from './queries.ts';

const placed = (o: OrganizationRef): o is OrganizationRef & { lat: number; lon: number } =>
	o.lat !== null && o.lon !== null;

/**
 * The maps of a filtered list: every partner abroad as a point joined to its Swedish partner, and
 * Sweden's municipalities shaded by how many of these partnerships they are in.
 */
export function partnershipMap(partnerships: MapPartnership[], locale: Locale): PartnershipMap {
	const partners = new Map<number, MapPlace>();
	const swedish = new Map<number, MapPlace>();
	const links: MapLink[] = [];
	const municipalityCounts: Record<string, number> = {};
	const place = (into: Map<number, MapPlace>, o: OrganizationRef & { lat: number; lon: number }) => {
		const found = into.get(o.id);
		if (found) found.count++;
		else
			into.set(o.id, {
				id: String(o.id),
				name: o.name,
				lat: o.lat,
				lon: o.lon,
				href: localizePath(locale, `/organizations/${o.slug}`),
				count: 1
			});
	};
	for (const p of partnerships) {
		for (const o of p.swedish) {
			if (placed(o)) place(swedish, o);
			if (o.kind === 'municipality' && o.municipalityCode?.length === 4) {
				municipalityCounts[o.municipalityCode] = (municipalityCounts[o.municipalityCode] ?? 0) + 1;
			}
		}
		const href = localizePath(locale, `/partnerships/${p.slug}`);
		const name = [...p.swedish, ...p.international].map((o) => o.name).join(' – ');
		for (const o of p.international) {
			if (!placed(o)) continue;
			place(partners, o);
			for (const s of p.swedish.filter(placed))
				links.push({ from: { lat: s.lat, lon: s.lon }, to: { lat: o.lat, lon: o.lon }, href, name });
		}
	}
	const m = messages(locale).partnerships;
	return renderPartnershipMap(
		{
			partners: [...partners.values()],
			links,
			municipalityCounts,
			swedishPoints: [...swedish.values()],
			// A world-map mark of several places: the Swedish ones stand apart on the Sweden map beside
			// it, the others in the list below (the /partnerships page's own anchors).
			clusters: {
				swedish: { href: '#sweden-map-view', note: m.clusterSweden },
				partners: { href: '#table-heading', note: m.clusterList }
			}
		},
		{
			world: { id: 'world-map', title: m.worldMapTitle, description: m.worldMapDesc },
			sweden: { id: 'sweden-map', title: m.swedenMapTitle, description: m.swedenMapDesc }
		}
	);
}
