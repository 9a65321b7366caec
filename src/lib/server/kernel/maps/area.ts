import { geoTransform } from 'd3-geo';
import type { MultiPolygon, Polygon } from 'geojson';
import { escapeXml } from '../xml.ts';
import { pathData } from './path-data.ts';
import { readGeoFile } from './topology.ts';

// A server-rendered map of one area (a city, a municipality) with clustered point marks, for
// residents' reports: no script, and no tile server unless an operator names one. The area is drawn linearly over its box (a
// plain equirectangular projection, longitude scaled by the cosine of the middle latitude), so a
// browser can turn a tap into coordinates with the box alone (`areaFrame`).

export type Box = [number, number, number, number];

export interface AreaPoint {
	lat: number;
	lon: number;
	/** How many reports stand at this point (grouped already); 1 when not given. */
	count?: number;
	/** Named in the mark's accessible name. */
	label: string;
	/** The mark's colour class suffix (`mark-<kind>`). */
	kind: string;
}

export interface AreaDistrict {
	name: string;
	lat: number;
	lon: number;
}

export interface AreaMapInput {
	bbox: Box;
	/** A Swedish municipality whose outline is drawn. */
	municipalityCode?: string | null;
	/** District names written at their centres. */
	districts?: readonly AreaDistrict[];
	points: readonly AreaPoint[];
	/** Where a mark leads, given the box of the points under it. */
	clusterHref: (box: Box) => string;
	/** An operator's raster tile server ({z}/{x}/{y} template), drawn beneath the outline. */
	tiles?: string;
}

export interface AreaMapText {
	id: string;
	title: string;
	description: string;
	count: (n: number) => string;
}

/** Width of the drawing in units; the height follows the box (within limits). */
const WIDTH = 640;
const MIN_HEIGHT = 240;
const MAX_HEIGHT = 800;
/** Marks closer than this (units) share one. */
const CELL = 28;
const MARGIN = 0.04;
const MAX_LABELS = 3;

export interface AreaFrame {
	/** The box actually drawn (the asked one with a margin, widened to a usable shape). */
	box: Box;
	width: number;
	height: number;
	x: (lon: number) => number;
	y: (lat: number) => number;
}

/** The drawing's frame for a box: its size, the box drawn and the linear projection. */
export function areaFrame(bbox: Box): AreaFrame {
	let [west, south, east, north] = bbox;
	const padLon = (east - west) * MARGIN;
	const padLat = (north - south) * MARGIN;
	west -= padLon;
	east += padLon;
	south -= padLat;
	north += padLat;
	const cos = Math.cos((((south + north) / 2) * Math.PI) / 180);
	const aspect = (north - south) / ((east - west) * cos);
	let height = Math.round(WIDTH * aspect);
	if (height < MIN_HEIGHT || height > MAX_HEIGHT) {
		// Too flat or too tall: widen the box in the short direction, so the scale stays one.
		height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height));
		const wanted = height / WIDTH;
		if (aspect < wanted) {
			const grow = ((east - west) * cos * wanted - (north - south)) / 2;
			south -= grow;
			north += grow;
		} else {
			const grow = ((north - south) / wanted / cos - (east - west)) / 2;
			west -= grow;
			east += grow;
		}
	}
	const kx = WIDTH / (east - west);
	const ky = height / (north - south);
	return {
		box: [west, south, east, north],
		width: WIDTH,
		height,
		x: (lon) => (lon - west) * kx,
		y: (lat) => (north - lat) * ky
	};
}

/** The points' extent, at least `minSpan` degrees each way; null without points. */
export function boundingBox(points: readonly { lat: number; lon: number }[], minSpan = 0.02): Box | null {
	const ok = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
	if (!ok.length) return null;
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const p of ok)
		[w, s, e, n] = [Math.min(w, p.lon), Math.min(s, p.lat), Math.max(e, p.lon), Math.max(n, p.lat)];
	const growLon = Math.max(0, minSpan - (e - w)) / 2;
	const growLat = Math.max(0, minSpan - (n - s)) / 2;
	return [w - growLon, s - growLat, e + growLon, n + growLat];
}

type MunicipalityFile = {
	features: { type: 'Feature'; properties: { id: string }; geometry: Polygon | MultiPolygon }[];
};
let municipalities: Map<string, MunicipalityFile['features'][number]> | undefined;

/**
 * One municipality's boundary at the detail of its source file (the national map's topology is
 * simplified for a whole-country view and too coarse for one municipality), read once when a
 * municipality's map is first drawn.
 */
const municipalityFeature = (code: string) => {
	municipalities ??= new Map(
		readGeoFile<MunicipalityFile>('swedish_municipalities.geojson').features.map((f) => [f.properties.id, f])
	);
	return municipalities.get(code) ?? null;
};

/** A Swedish municipality's box, from the platform's own outlines; null for an unknown code. */
export function municipalityBox(code: string): Box | null {
	const shape = municipalityFeature(code);
	if (!shape) return null;
	// Planar bounds of the coordinates: the source's rings are not wound for spherical geometry.
	const points: { lat: number; lon: number }[] = [];
	const rings = shape.geometry.type === 'Polygon' ? [shape.geometry.coordinates] : shape.geometry.coordinates;
	for (const polygon of rings)
		for (const ring of polygon) for (const [lon, lat] of ring) points.push({ lat: lat!, lon: lon! });
	return boundingBox(points, 0);
}

function checkId(id: string): string {
	if (!/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`Invalid map id ${JSON.stringify(id)}`);
	return id;
}

interface Cluster {
	count: number;
	sumX: number;
	sumY: number;
	box: Box;
	byKind: Map<string, number>;
	byLabel: Map<string, number>;
}

const MAX_TILES = 36;

/**
 * A tile server's images covering the drawn box, placed by their corners in the linear drawing:
 * within a tile of a town's map the difference from Web Mercator is far below a pixel.
 */
export function tileImages(frame: AreaFrame, template: string): string {
	const [west, south, east, north] = frame.box;
	// About one tile pixel to a drawing unit.
	const z = Math.max(0, Math.min(18, Math.floor(Math.log2((360 * frame.width) / 256 / (east - west)))));
	const n = 2 ** z;
	const tx = (lon: number) => Math.floor(((lon + 180) / 360) * n);
	const ty = (lat: number) => {
		const r = (lat * Math.PI) / 180;
		return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
	};
	const lonOf = (x: number) => (x / n) * 360 - 180;
	const latOf = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
	const [x0, x1, y0, y1] = [tx(west), tx(east), ty(north), ty(south)];
	if ((x1 - x0 + 1) * (y1 - y0 + 1) > MAX_TILES) return '';
	let images = '';
	for (let x = x0; x <= x1; x++) {
		for (let y = y0; y <= y1; y++) {
			const left = frame.x(lonOf(x));
			const top = frame.y(latOf(y));
			const href = template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
			images +=
				`<image href="${escapeXml(href)}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" ` +
				`width="${(frame.x(lonOf(x + 1)) - left).toFixed(1)}" height="${(frame.y(latOf(y + 1)) - top).toFixed(1)}" preserveAspectRatio="none"/>`;
		}
	}
	return `<g class="area-tiles" aria-hidden="true">${images}</g>`;
}

/** The map of an area with its points clustered; each mark a link with an accessible name. */
export function renderAreaMap(input: AreaMapInput, text: AreaMapText): string {
	const id = checkId(text.id);
	const frame = areaFrame(input.bbox);
	const [west, south, east, north] = frame.box;
	const clusters = new Map<string, Cluster>();
	for (const p of input.points) {
		if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
		if (p.lon < west || p.lon > east || p.lat < south || p.lat > north) continue;
		const weight = p.count !== undefined && Number.isFinite(p.count) && p.count > 0 ? p.count : 1;
		const x = frame.x(p.lon);
		const y = frame.y(p.lat);
		const key = `${Math.floor(x / CELL)},${Math.floor(y / CELL)}`;
		let c = clusters.get(key);
		if (!c) {
			c = {
				count: 0,
				sumX: 0,
				sumY: 0,
				box: [p.lon, p.lat, p.lon, p.lat],
				byKind: new Map(),
				byLabel: new Map()
			};
			clusters.set(key, c);
		}
		c.count += weight;
		c.sumX += x * weight;
		c.sumY += y * weight;
		c.box = [
			Math.min(c.box[0], p.lon),
			Math.min(c.box[1], p.lat),
			Math.max(c.box[2], p.lon),
			Math.max(c.box[3], p.lat)
		];
		c.byKind.set(p.kind, (c.byKind.get(p.kind) ?? 0) + weight);
		c.byLabel.set(p.label, (c.byLabel.get(p.label) ?? 0) + weight);
	}

	const most = (m: Map<string, number>) =>
		[...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
	let marks = '';
	// Biggest first, so that small marks stay visible on top.
	for (const c of [...clusters.values()].sort((a, b) => b.count - a.count)) {
		const cx = Math.round(c.sumX / c.count);
		const cy = Math.round(c.sumY / c.count);
		const r = Math.round(Math.min(7 + 3 * Math.sqrt(c.count - 1), 24));
		const labels = most(c.byLabel).map(([label]) => label);
		const named =
			labels.slice(0, MAX_LABELS).join(', ') +
			(labels.length > MAX_LABELS ? ` +${labels.length - MAX_LABELS}` : '');
		const name = escapeXml(`${text.count(c.count)}: ${named}`);
		const kind = most(c.byKind)[0]![0].replace(/[^a-z0-9-]/gi, '');
		marks +=
			`<a href="${escapeXml(input.clusterHref(c.box))}" aria-label="${name}"><title>${name}</title>` +
			`<circle class="mark-${kind}" cx="${cx}" cy="${cy}" r="${r}"/>` +
			(c.count > 1 ? `<text x="${cx}" y="${cy}">${c.count}</text>` : '') +
			'</a>';
	}

	let background =
		`<rect class="area-frame" x="0" y="0" width="${frame.width}" height="${frame.height}"/>` +
		(input.tiles ? tileImages(frame, input.tiles) : '');
	const shape = input.municipalityCode ? municipalityFeature(input.municipalityCode) : null;
	if (shape) {
		const linear = geoTransform({
			point(lon, lat) {
				this.stream.point(frame.x(lon), frame.y(lat));
			}
		});
		background += `<path class="area-outline" d="${pathData(linear, shape)}"/>`;
	}
	let districts = '';
	for (const d of input.districts ?? []) {
		if (d.lon < west || d.lon > east || d.lat < south || d.lat > north) continue;
		districts += `<text class="area-district" x="${Math.round(frame.x(d.lon))}" y="${Math.round(frame.y(d.lat))}">${escapeXml(d.name)}</text>`;
	}
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" class="area-map" viewBox="0 0 ${frame.width} ${frame.height}" role="group" aria-labelledby="${id}-title ${id}-desc">` +
		`<title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.description)}</desc>` +
		background +
		(districts ? `<g aria-hidden="true">${districts}</g>` : '') +
		marks +
		'</svg>'
	);
}
