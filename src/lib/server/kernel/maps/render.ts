import { geoDistance, geoInterpolate } from 'd3-geo';
import { swedenGeometry, worldGeometry, type MapFrame } from './geometry.ts';
import { escapeXml } from '../xml.ts';

/**
 * The partnership maps as server-rendered SVG: a world map with the partners abroad joined to
 * their Swedish partners, and Sweden with its municipalities shaded by number of partnerships.
 * The fixed layers (land, borders, municipality outlines) are projected once per process
 * (geometry.ts) and reused as strings; per call only points, lines and fill classes are written.
 *
 * The result is inserted into the page with {@html}: every text from the input is escaped here.
 * On the world map each place with a mark of its own links to its page and each line to its
 * partnership (SVG links: keyboard focusable, named), and a few places carry their names beside
 * them; a map of hundreds of lines is one bundle without links (the table beside it leads to
 * each partnership). Colours come from classes in static/map.css (the Content-Security-Policy
 * forbids style attributes and <style> elements).
 */

export interface MapPlace {
	id: string;
	name: string;
	lat: number;
	lon: number;
	/** Its page: a mark of its own links there. */
	href: string;
	/** Partnerships at this place; sets the mark's size. */
	count: number;
}

export interface LatLon {
	lat: number;
	lon: number;
}

export interface PartnershipMapInput {
	/** Partners abroad. */
	partners: MapPlace[];
	/**
	 * One line per pair of partners (either way round); a line ends on the mark drawn at its end.
	 * With `href` and `name`, the line links to its partnership.
	 */
	links: MapLink[];
	/** Partnerships per Swedish municipality, by four-digit code. */
	municipalityCounts: Record<string, number>;
	/** Swedish partners (municipalities and regions), marked on both maps. */
	swedishPoints: MapPlace[];
	/**
	 * Where a world-map mark of several places leads, and what its link adds to their names: the
	 * Swedish ones to the Sweden map (where they stand one by one), the others to the list.
	 */
	clusters?: { swedish?: ClusterLink; partners?: ClusterLink };
}

export interface ClusterLink {
	href: string;
	/** Said after the places' names ("see them one by one on the map of Sweden"). */
	note: string;
}

export interface MapLink {
	from: LatLon;
	to: LatLon;
	href?: string;
	name?: string;
}

export interface MapText {
	/** Prefix for the ids of the SVG's <title> (`${id}-title`) and <desc> (`${id}-desc`): unique in the page. */
	id: string;
	title: string;
	description: string;
}

export interface PartnershipMapLabels {
	world: MapText;
	sweden: MapText;
}

export interface LegendItem {
	/** "0", "1", "2–3", "4+" (numbers only: the page says what they count). */
	label: string;
	/** The class of the municipality fill; on an HTML element it sets the background colour. */
	className: string;
	min: number;
	/** null: no upper bound. */
	max: number | null;
}

export interface PartnershipMap {
	world: string;
	sweden: string;
	legend: LegendItem[];
}

/** Ids go into id and aria-labelledby attributes unquoted by meaning: keep them plain. */
function checkId(id: string): string {
	if (!/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`Invalid map id ${JSON.stringify(id)}`);
	return id;
}

/** Cluster cell, in nominal pixels: places closer than this share one mark. */
const CELL = 4;
/** More lines than this are drawn straight: in a dense bundle curves show nothing more. */
const STRAIGHT_LINKS = 300;
/** Names listed in a mark's title before "+n". */
const MAX_NAMES = 3;
/** Up to this many marks abroad carry their names beside them; more would cover each other. */
const MAX_LABELS = 12;

interface Cluster {
	x: number;
	y: number;
	count: number;
	places: number;
	sumX: number;
	sumY: number;
	names: string[];
	/** The page of its one place (a mark of several places links nowhere). */
	href: string | null;
	/** Its one place's name, for the link and the label. */
	name: string;
}

const validLatLon = (p: LatLon) =>
	Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;

/** Projected point in whole grid units, or null when it cannot be drawn. */
function project(frame: MapFrame, p: LatLon): [number, number] | null {
	if (!validLatLon(p)) return null;
	const xy = frame.projection([p.lon, p.lat]);
	if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) return null;
	return xy;
}

const cellKey = (x: number, y: number, cell: number) => `${Math.floor(x / cell)},${Math.floor(y / cell)}`;

/** Places in the same cell merge into one mark at their weighted centre. */
function clusterPlaces(frame: MapFrame, places: MapPlace[], cell: number): Map<string, Cluster> {
	const clusters = new Map<string, Cluster>();
	for (const place of places) {
		const xy = project(frame, place);
		if (!xy) continue;
		const weight = Number.isFinite(place.count) && place.count > 0 ? place.count : 1;
		const key = cellKey(xy[0], xy[1], cell);
		let c = clusters.get(key);
		if (!c) {
			c = {
				x: 0,
				y: 0,
				count: 0,
				places: 0,
				sumX: 0,
				sumY: 0,
				names: [],
				href: place.href || null,
				name: place.name
			};
			clusters.set(key, c);
		}
		c.count += weight;
		c.places += 1;
		c.sumX += xy[0] * weight;
		c.sumY += xy[1] * weight;
		if (c.names.length < MAX_NAMES) c.names.push(weight > 1 ? `${place.name} (${weight})` : place.name);
	}
	for (const c of clusters.values()) {
		c.x = Math.round(c.sumX / c.count);
		c.y = Math.round(c.sumY / c.count);
	}
	return clusters;
}

function clusterTitle(c: Cluster): string {
	const rest = c.places - c.names.length;
	return escapeXml(c.names.join(', ') + (rest > 0 ? ` +${rest}` : ''));
}

/**
 * Circles, biggest first so that small ones stay visible on top. With `linked`, a mark of one
 * place links to its page, named by the place; with `several`, a mark of several places links
 * there, named by the places and the note.
 */
function marks(
	clusters: Iterable<Cluster>,
	radius: (count: number) => number,
	linked = false,
	several?: ClusterLink
): string {
	const sorted = [...clusters].sort((a, b) => b.count - a.count);
	let out = '';
	for (const c of sorted) {
		const circle = `<circle cx="${c.x}" cy="${c.y}" r="${radius(c.count)}"><title>${clusterTitle(c)}</title></circle>`;
		if (linked && c.places === 1 && c.href)
			out += `<a href="${escapeXml(c.href)}" aria-label="${escapeXml(c.name)}">${circle}</a>`;
		else if (several && c.places > 1)
			out += `<a href="${escapeXml(several.href)}" aria-label="${clusterTitle(c)} – ${escapeXml(several.note)}">${circle}</a>`;
		else out += circle;
	}
	return out;
}

/** About how wide a label's letter is, in each map's units (map.css sets their heights). */
const LETTER = { world: 13, sweden: 40 };

/**
 * The names of a few marks beside them (the links carry the names for screen readers): to the
 * right, or to the left where the name would run off the map.
 */
function labels(
	clusters: Cluster[],
	radius: (count: number) => number,
	frame: MapFrame,
	letter: number
): string {
	if (!clusters.length || clusters.length > MAX_LABELS) return '';
	let out = '';
	for (const c of clusters) {
		if (c.places !== 1) continue;
		const gap = radius(c.count) + Math.round(frame.unit);
		const width = c.name.length * letter;
		const name = escapeXml(c.name);
		if (c.x + gap + width <= frame.width) {
			out += `<text x="${c.x + gap}" y="${c.y}" dy="0.35em">${name}</text>`;
		} else if (c.x - gap - width >= 0) {
			out += `<text x="${c.x - gap}" y="${c.y}" dy="0.35em" text-anchor="end">${name}</text>`;
		} else {
			// Too long for either side: centred under the mark, kept inside the map.
			const x = Math.round(Math.min(Math.max(c.x, width / 2), frame.width - width / 2));
			out += `<text x="${x}" y="${c.y + gap}" dy="0.9em" text-anchor="middle">${name}</text>`;
		}
	}
	return out ? `<g class="map-labels" aria-hidden="true">${out}</g>` : '';
}

/** A partner's mark grows with the square root of its count, up to a cap. */
function partnerRadius(unit: number): (count: number) => number {
	return (count) => Math.round(unit * Math.min(4 + 1.2 * Math.sqrt(count - 1), 10));
}

/** The point where a link ends: the mark drawn in its cell, if any. */
function snap(
	frame: MapFrame,
	p: LatLon,
	cell: number,
	...clusters: Map<string, Cluster>[]
): [number, number] | null {
	const xy = project(frame, p);
	if (!xy) return null;
	const key = cellKey(xy[0], xy[1], cell);
	for (const map of clusters) {
		const c = map.get(key);
		if (c) return [c.x, c.y];
	}
	return [Math.round(xy[0]), Math.round(xy[1])];
}

/**
 * The control point of a quadratic curve from a to b whose midpoint is the projected midpoint of
 * the great circle; null when that midpoint falls far off (the arc crosses the map's edge).
 */
function controlPoint(
	frame: MapFrame,
	link: { from: LatLon; to: LatLon },
	a: [number, number],
	b: [number, number]
): [number, number] | null {
	const [lon, lat] = geoInterpolate([link.from.lon, link.from.lat], [link.to.lon, link.to.lat])(0.5);
	const mid = project(frame, { lat, lon });
	if (!mid) return null;
	const cx = Math.round(2 * mid[0] - (a[0] + b[0]) / 2);
	const cy = Math.round(2 * mid[1] - (a[1] + b[1]) / 2);
	const bend = Math.hypot(cx - (a[0] + b[0]) / 2, cy - (a[1] + b[1]) / 2);
	return bend < Math.hypot(b[0] - a[0], b[1] - a[1]) ? [cx, cy] : null;
}

/**
 * Each link as a quadratic curve through the projected midpoint of the great circle (a close
 * and small stand-in for the great-circle arc); a straight line when that midpoint falls far off
 * (the arc crosses the map's edge) or when there are so many lines that they form one bundle.
 * Identical lines are written once, all in one <path>.
 */
function linkPaths(
	frame: MapFrame,
	input: PartnershipMapInput,
	cell: number,
	partners: Map<string, Cluster>,
	swedish: Map<string, Cluster>
): { d: string; count: number; linked: string } {
	const seen = new Set<string>();
	const curved = input.links.length <= STRAIGHT_LINKS;
	let d = '';
	// Lines that name their partnership, each its own link (not in a bundle of hundreds).
	let linked = '';
	for (const link of input.links) {
		if (!validLatLon(link.from) || !validLatLon(link.to)) continue;
		const a = snap(frame, link.from, cell, partners, swedish);
		const b = snap(frame, link.to, cell, swedish, partners);
		if (!a || !b) continue;
		const key = `${a[0]},${a[1]},${b[0]},${b[1]}`;
		if (seen.has(key) || (a[0] === b[0] && a[1] === b[1])) continue;
		seen.add(key);
		const control = curved ? controlPoint(frame, link, a, b) : null;
		const line = control
			? `M${a[0]} ${a[1]}Q${control[0]} ${control[1]} ${b[0]} ${b[1]}`
			: `M${a[0]} ${a[1]}L${b[0]} ${b[1]}`;
		if (curved && link.href && link.name) {
			// A wide transparent stroke under the thin line is what the pointer hits.
			linked +=
				`<a href="${escapeXml(link.href)}" aria-label="${escapeXml(link.name)}">` +
				`<path class="map-link-hit" d="${line}"/><path class="map-link" d="${line}"/></a>`;
		} else d += line;
	}
	return { d, count: seen.size, linked };
}

/** Whether a place falls within the frame. */
function inside(frame: MapFrame, p: LatLon): boolean {
	const xy = project(frame, p);
	return !!xy && xy[0] >= 0 && xy[1] >= 0 && xy[0] <= frame.width && xy[1] <= frame.height;
}

/**
 * On the map of Sweden, from each Swedish partner a short line pointing the way to each partner
 * abroad (along the great circle), linking its partnership and named by it: the lines of the
 * world map, seen from Sweden. Left out when there are so many that they would form a bundle.
 */
function pointers(
	frame: MapFrame,
	input: PartnershipMapInput,
	cell: number,
	swedish: Map<string, Cluster>
): string {
	if (input.links.length > STRAIGHT_LINKS) return '';
	const length = 40 * frame.unit;
	const seen = new Set<string>();
	let out = '';
	for (const link of input.links) {
		if (!link.href || !link.name || !validLatLon(link.from) || !validLatLon(link.to)) continue;
		// The end on this map is the Swedish one, whichever way round the link was given.
		const [home, away] = inside(frame, link.from) ? [link.from, link.to] : [link.to, link.from];
		if (!inside(frame, home) || inside(frame, away)) continue;
		const a = snap(frame, home, cell, swedish);
		const from: [number, number] = [home.lon, home.lat];
		const to: [number, number] = [away.lon, away.lat];
		const distance = geoDistance(from, to);
		if (!a || !(distance > 0)) continue;
		// A step of about 130 km towards the partner gives the direction on this map.
		const [lon, lat] = geoInterpolate(from, to)(Math.min(1, 0.02 / distance));
		const step = project(frame, { lat, lon });
		if (!step) continue;
		const dx = step[0] - a[0];
		const dy = step[1] - a[1];
		const norm = Math.hypot(dx, dy);
		if (!norm) continue;
		const b = [Math.round(a[0] + (dx / norm) * length), Math.round(a[1] + (dy / norm) * length)];
		const line = `M${a[0]} ${a[1]}L${b[0]} ${b[1]}`;
		if (seen.has(`${line}${link.href}`)) continue;
		seen.add(`${line}${link.href}`);
		out +=
			`<a href="${escapeXml(link.href)}" aria-label="${escapeXml(link.name)}">` +
			`<path class="map-link-hit" d="${line}"/><path class="map-link map-pointer" d="${line}"/></a>`;
	}
	return out ? `<g class="map-links">${out}</g>` : '';
}

/** Lines fade as they multiply (0.6 up to 100 lines, 0.13 at 2,000), so that the land still shows. */
function linkOpacity(count: number): string {
	return Math.min(0.6, Math.max(0.1, 6 / Math.sqrt(count))).toFixed(2);
}

/** An image, or a group when it holds links (an image's inside is hidden from screen readers). */
function svgOpen(frame: MapFrame, text: MapText, className: string, interactive = false): string {
	const id = checkId(text.id);
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" class="map ${className}" ` +
		`role="${interactive ? 'group' : 'img'}" aria-labelledby="${id}-title ${id}-desc">` +
		`<title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.description)}</desc>`
	);
}

let worldBase: string | undefined;
/** Water, land, Sweden and borders: the same for every request. */
function worldBaseLayers(): string {
	if (!worldBase) {
		const w = worldGeometry();
		worldBase =
			`<rect class="map-water" width="${w.width}" height="${w.height}"/>` +
			`<path class="map-land" d="${w.land}"/>` +
			`<path class="map-home" d="${w.sweden}"/>` +
			`<path class="map-borders" d="${w.borders}"/>`;
	}
	return worldBase;
}

function renderWorld(input: PartnershipMapInput, text: MapText): string {
	const frame = worldGeometry();
	const unit = frame.unit;
	const cell = CELL * unit;
	const partners = clusterPlaces(frame, input.partners, cell);
	const swedish = clusterPlaces(frame, input.swedishPoints, cell);
	const lines = linkPaths(frame, input, cell, partners, swedish);
	const homeRadius = () => Math.round(2.5 * unit);
	const clusterLinks = input.clusters ?? {};
	const interactive =
		lines.linked !== '' ||
		[...partners.values(), ...swedish.values()].some((c) => c.places === 1 && c.href) ||
		(!!clusterLinks.swedish && [...swedish.values()].some((c) => c.places > 1)) ||
		(!!clusterLinks.partners && [...partners.values()].some((c) => c.places > 1));
	return (
		svgOpen(frame, text, 'map-world', interactive) +
		worldBaseLayers() +
		(lines.d ? `<path class="map-links" stroke-opacity="${linkOpacity(lines.count)}" d="${lines.d}"/>` : '') +
		(lines.linked ? `<g class="map-links">${lines.linked}</g>` : '') +
		(swedish.size
			? `<g class="map-home-marks">${marks(swedish.values(), homeRadius, true, clusterLinks.swedish)}</g>`
			: '') +
		(partners.size
			? `<g class="map-partners">${marks(partners.values(), partnerRadius(unit), true, clusterLinks.partners)}</g>` +
				labels([...partners.values()], partnerRadius(unit), frame, LETTER.world)
			: '') +
		'</svg>'
	);
}

/** Fill classes: the lower bounds of buckets 1–3 (bucket 0 is "no partnership"). */
export function countBuckets(counts: Iterable<number>): [number, number, number] {
	const nonZero = [...counts].filter((n) => Number.isFinite(n) && n > 0).sort((a, b) => a - b);
	const median = nonZero[Math.floor(nonZero.length / 2)] ?? 0;
	if (median < 4) return [1, 2, 4];
	// Many partnerships per municipality (a large programme): thirds of the municipalities that have any.
	const t1 = nonZero[Math.floor(nonZero.length / 3)]!;
	const t2 = Math.max(nonZero[Math.floor((2 * nonZero.length) / 3)]!, t1 + 1);
	return [1, t1 + 1, t2 + 1];
}

function bucketOf(count: number, bounds: [number, number, number]): number {
	if (!(count >= bounds[0])) return 0;
	if (count < bounds[1]) return 1;
	if (count < bounds[2]) return 2;
	return 3;
}

function legendFor(bounds: [number, number, number]): LegendItem[] {
	const range = (min: number, max: number) => (min === max ? String(min) : `${min}–${max}`);
	return [
		{ label: '0', className: 'map-n0', min: 0, max: 0 },
		{ label: range(bounds[0], bounds[1] - 1), className: 'map-n1', min: bounds[0], max: bounds[1] - 1 },
		{ label: range(bounds[1], bounds[2] - 1), className: 'map-n2', min: bounds[1], max: bounds[2] - 1 },
		{ label: `${bounds[2]}+`, className: 'map-n3', min: bounds[2], max: null }
	];
}

let swedenShapes: { code: string; before: string; after: string }[] | undefined;
let swedenBase: string | undefined;
/** Each municipality's markup around its fill class and count, and the lines on top. */
function swedenParts() {
	if (!swedenShapes || !swedenBase) {
		const s = swedenGeometry();
		swedenShapes = s.municipalities.map((m) => ({
			code: m.code,
			before: `<path d="${m.d}" class="map-n`,
			after: `"><title>${escapeXml(m.name)}: `
		}));
		swedenBase = `<path class="map-counties" d="${s.counties}"/><path class="map-outline" d="${s.outline}"/>`;
	}
	return { shapes: swedenShapes, base: swedenBase };
}

function renderSweden(input: PartnershipMapInput, text: MapText, bounds: [number, number, number]): string {
	const frame = swedenGeometry();
	const unit = frame.unit;
	const { shapes, base } = swedenParts();
	let fills = '';
	for (const shape of shapes) {
		const raw = input.municipalityCounts[shape.code];
		const count = typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? Math.floor(raw) : 0;
		fills += `${shape.before}${bucketOf(count, bounds)}${shape.after}${count}</title></path>`;
	}
	const swedish = clusterPlaces(frame, input.swedishPoints, CELL * unit);
	const radius = () => Math.round(2 * unit);
	const lines = pointers(frame, input, CELL * unit, swedish);
	// The Swedish side seen up close: each partner's mark links to its page, with its name beside it.
	const interactive = lines !== '' || [...swedish.values()].some((c) => c.places === 1 && c.href);
	return (
		svgOpen(frame, text, 'map-sweden', interactive) +
		`<g class="map-municipalities">${fills}</g>` +
		base +
		lines +
		(swedish.size
			? `<g class="map-home-marks">${marks(swedish.values(), radius, true)}</g>` +
				labels([...swedish.values()], radius, frame, LETTER.sweden)
			: '') +
		'</svg>'
	);
}

/** Both maps and the legend of the Swedish one. */
export function renderPartnershipMap(
	input: PartnershipMapInput,
	labels: PartnershipMapLabels
): PartnershipMap {
	const counts = input.municipalityCounts;
	const bounds = countBuckets(swedenParts().shapes.map((s) => counts[s.code] ?? 0));
	return {
		world: renderWorld(input, labels.world),
		sweden: renderSweden(input, labels.sweden, bounds),
		legend: legendFor(bounds)
	};
}
