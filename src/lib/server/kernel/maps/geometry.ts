import {
	geoEqualEarth,
	geoPath,
	geoTransverseMercator,
	type GeoPermissibleObjects,
	type GeoProjection
} from 'd3-geo';
import { feature, merge, mesh } from 'topojson-client';
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from 'topojson-specification';
import { readGeoFile, swedenTopology, type MunicipalityProperties } from './topology.ts';
import { pathData } from './path-data.ts';

/**
 * The maps' fixed layers, projected once per process into compact SVG path data.
 * World: Natural Earth 1:110m countries (world-atlas, without Antarctica) in Equal Earth.
 * Sweden: the 290 municipalities in transverse Mercator on 15° E (as SWEREF 99 TM).
 * Both files are simplified once by scripts/build-geo.js; here coordinates are rounded to whole
 * grid units and rings under a minimum area (in square pixels) dropped.
 */

export interface MapFrame {
	/** The viewBox is `0 0 width height`, in grid units: every coordinate is a whole number. */
	width: number;
	height: number;
	/** Grid units per nominal pixel (a world map of 960 px is 1920 units wide). */
	unit: number;
	/** Longitude/latitude to grid units. */
	projection: GeoProjection;
}

export interface WorldGeometry extends MapFrame {
	/** Every country's land as one shape. */
	land: string;
	/** Sweden's land, drawn over `land`. */
	sweden: string;
	/** Borders between countries. */
	borders: string;
}

export interface MunicipalityShape {
	code: string;
	name: string;
	county: string;
	d: string;
}

export interface SwedenGeometry extends MapFrame {
	municipalities: MunicipalityShape[];
	/** Borders between counties. */
	counties: string;
	/** The coast and the borders with Norway and Finland. */
	outline: string;
}

/**
 * Nominal sizes in pixels and the grid each is drawn on. Coordinates are rounded to whole grid
 * units, which the path data writes without decimals: half a pixel for the world (960 px,
 * 1920 units), a fifth for Sweden (300 px, 1500 units).
 */
const WORLD = { width: 960, unit: 2, minRingArea: 1 };
const SWEDEN = { width: 300, unit: 5, minRingArea: 0.3 };
/** Margin around the shapes, in nominal pixels. */
const PADDING = 2;

type WorldTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>;

/** Fits a projection to a width, with the height that follows and a small margin. */
function fit(
	projection: GeoProjection,
	view: { width: number; unit: number },
	object: GeoPermissibleObjects
): MapFrame {
	const width = view.width * view.unit;
	const pad = PADDING * view.unit;
	projection.fitWidth(width - 2 * pad, object);
	const [tx, ty] = projection.translate();
	projection.translate([tx + pad, ty + pad]);
	const [, [, bottom]] = geoPath(projection).bounds(object);
	return { width, height: Math.ceil(bottom + pad), unit: view.unit, projection };
}

let world: WorldGeometry | undefined;
let sweden: SwedenGeometry | undefined;

export function worldGeometry(): WorldGeometry {
	if (!world) {
		const topo = readGeoFile<WorldTopology>('world.topo.json');
		const countries = topo.objects.countries;
		const land = merge(topo, countries.geometries as (Polygon | MultiPolygon)[]);
		const frame = fit(geoEqualEarth(), WORLD, land);
		const swedenShape = countries.geometries.find((g) => g.id === '752');
		if (!swedenShape) throw new Error('world.topo.json has no Sweden (752)');
		world = {
			...frame,
			land: pathData(frame.projection, land, { minRingArea: WORLD.minRingArea * WORLD.unit ** 2 }),
			sweden: pathData(frame.projection, feature(topo, swedenShape)),
			borders: pathData(
				frame.projection,
				mesh(topo, countries, (a, b) => a !== b)
			)
		};
	}
	return world;
}

export function swedenGeometry(): SwedenGeometry {
	if (!sweden) {
		const topo = swedenTopology();
		const collection = topo.objects.municipalities;
		const frame = fit(geoTransverseMercator().rotate([-15, 0]), SWEDEN, feature(topo, collection));
		const county = (g: { properties?: unknown }) => (g.properties as MunicipalityProperties).county;
		sweden = {
			...frame,
			municipalities: collection.geometries.map((g) => {
				const p = g.properties as MunicipalityProperties;
				return {
					code: p.code,
					name: p.name,
					county: p.county,
					d: pathData(frame.projection, feature(topo, g), {
						minRingArea: SWEDEN.minRingArea * SWEDEN.unit ** 2
					})
				};
			}),
			counties: pathData(
				frame.projection,
				mesh(topo, collection, (a, b) => a !== b && county(a) !== county(b))
			),
			outline: pathData(
				frame.projection,
				mesh(topo, collection, (a, b) => a === b)
			)
		};
	}
	return sweden;
}
