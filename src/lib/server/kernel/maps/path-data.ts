import { geoPath, type GeoPermissibleObjects, type GeoProjection, type GeoStreamWrapper } from 'd3-geo';

/**
 * Compact SVG path data from d3-geo: coordinates rounded to whole units (the maps draw on a grid
 * fine enough for that) and written relative ("m123 45 12-3 4 5…z": implicit line-tos after a
 * move, no separator before a minus), repeated points dropped, rings smaller than a given area
 * dropped (but never a shape's largest ring, so no municipality vanishes). Computed once per
 * process, never per request.
 */

type Ring = { points: number[]; closed: boolean };

/** A d3-geo path context that collects rings in whole units, without repeated points. */
class RingCollector {
	rings: Ring[] = [];
	private current: Ring | undefined;
	moveTo(x: number, y: number): void {
		this.current = { points: [Math.round(x), Math.round(y)], closed: false };
		this.rings.push(this.current);
	}
	lineTo(x: number, y: number): void {
		const ring = this.current;
		if (!ring) return;
		const px = Math.round(x);
		const py = Math.round(y);
		const n = ring.points.length;
		if (ring.points[n - 2] === px && ring.points[n - 1] === py) return;
		ring.points.push(px, py);
	}
	closePath(): void {
		const ring = this.current;
		if (!ring) return;
		const p = ring.points;
		const n = p.length;
		// A closing point equal to the first is implied by "z".
		if (n >= 4 && p[n - 2] === p[0] && p[n - 1] === p[1]) p.length = n - 2;
		ring.closed = true;
		this.current = undefined;
	}
	beginPath(): void {}
	arc(): void {
		// Point geometries are drawn as circles by the renderer, never through here.
	}
}

/** Area of a closed ring in square units. */
function ringArea(points: number[]): number {
	let sum = 0;
	const n = points.length;
	for (let i = 0; i < n; i += 2) {
		const j = (i + 2) % n;
		sum += points[i]! * points[j + 1]! - points[j]! * points[i + 1]!;
	}
	return Math.abs(sum) / 2;
}

/** Appends numbers with the fewest separators the SVG path grammar allows. */
class PathWriter {
	out = '';
	private afterNumber = false;
	command(c: string): void {
		this.out += c;
		this.afterNumber = false;
	}
	number(value: number): void {
		this.out += this.afterNumber && value >= 0 ? ` ${value}` : String(value);
		this.afterNumber = true;
	}
}

export interface PathOptions {
	/** Closed rings smaller than this (square units) are dropped, except each shape's largest. */
	minRingArea?: number;
}

/** Encodes rings as relative path data. */
function encode(rings: Ring[]): string {
	const w = new PathWriter();
	let cx = 0;
	let cy = 0;
	for (const ring of rings) {
		const p = ring.points;
		if (p.length < 2) continue;
		w.command('m');
		w.number(p[0]! - cx);
		w.number(p[1]! - cy);
		let x = p[0]!;
		let y = p[1]!;
		for (let i = 2; i < p.length; i += 2) {
			w.number(p[i]! - x);
			w.number(p[i + 1]! - y);
			x = p[i]!;
			y = p[i + 1]!;
		}
		if (ring.closed) {
			w.command('z');
			// After "z" the current point is the ring's start.
			cx = p[0]!;
			cy = p[1]!;
		} else {
			cx = x;
			cy = y;
		}
	}
	return w.out;
}

/** Compact path data for a GeoJSON object under a projection ('' if nothing is visible). */
export function pathData(
	projection: GeoProjection | GeoStreamWrapper,
	object: GeoPermissibleObjects,
	options: PathOptions = {}
): string {
	const collector = new RingCollector();
	geoPath(projection, collector)(object);
	let rings = collector.rings.filter((r) => (r.closed ? r.points.length >= 6 : r.points.length >= 4));
	const minArea = options.minRingArea ?? 0;
	if (minArea > 0) {
		const areas = rings.map((r) => (r.closed ? ringArea(r.points) : Infinity));
		const largest = Math.max(0, ...areas.filter(Number.isFinite));
		rings = rings.filter((_, i) => areas[i]! >= minArea || areas[i] === largest);
	}
	return encode(rings);
}
