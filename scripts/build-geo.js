// Builds the small map files the app reads at run time from the source files beside them:
//   data/geo/swedish_municipalities.geojson, swedish_regions.geojson (Open Knowledge Sweden)
//     → data/geo/sweden.topo.json: the 290 municipalities and 21 regions as one TopoJSON topology,
//       simplified once (Visvalingam, spherical areas) with shared borders kept shared;
//   node_modules/world-atlas/countries-110m.json (Natural Earth via world-atlas)
//     → data/geo/world.topo.json: the countries without Antarctica, simplified a little.
// Run it after changing a source file or a threshold: `node scripts/build-geo.js`; commit the output.
// The app never simplifies per request; see docs/decisions/0011-maps.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { geoArea } from 'd3-geo';
import { feature, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';

const dir = path.resolve(process.env.REFERENCE_DATA_DIR ?? 'data', 'geo');
const require = createRequire(import.meta.url);

/**
 * Minimum spherical triangle area kept (steradians; Visvalingam's effective area). On the Sweden
 * map (300 px for 1,570 km) a square pixel is about 1.3e-7 sr, so 6e-7 drops corners smaller than
 * about 4.5 square pixels; on the world map (960 px) a square pixel is about 5e-5 sr.
 * Measured in docs/decisions/0011-maps.md; override with GEO_SWEDEN_WEIGHT / GEO_WORLD_WEIGHT.
 */
const SWEDEN_MIN_WEIGHT = Number(process.env.GEO_SWEDEN_WEIGHT ?? 6e-7);
const WORLD_MIN_WEIGHT = Number(process.env.GEO_WORLD_WEIGHT ?? 6e-5);
/** Grid cells per axis when quantizing the output (delta-encoded integers). */
const QUANTIZATION = 1e4;

/** @param {string} file */
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * GeoJSON (RFC 7946) winds exterior rings anticlockwise; d3-geo reads a ring by its spherical
 * winding and takes an anticlockwise one for "the whole globe minus this". Reverse every polygon
 * that covers more than a hemisphere.
 * @param {any} geometry
 */
function rewind(geometry) {
	/** @param {number[][][]} rings */
	const fix = (rings) =>
		geoArea({ type: 'Polygon', coordinates: rings }) > 2 * Math.PI
			? rings.map((ring) => ring.slice().reverse())
			: rings;
	if (geometry.type === 'Polygon') return { ...geometry, coordinates: fix(geometry.coordinates) };
	if (geometry.type === 'MultiPolygon') return { ...geometry, coordinates: geometry.coordinates.map(fix) };
	throw new Error(`Unexpected geometry ${geometry.type}`);
}

/** @param {number} value @param {number} digits */
const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * @param {Record<string, any>} objects GeoJSON feature collections by name
 * @param {number} minWeight
 */
function simplified(objects, minWeight) {
	const topo = presimplify(/** @type {any} */ (topology(objects, 1e6)), sphericalTriangleArea);
	return quantize(/** @type {any} */ (simplify(topo, minWeight)), QUANTIZATION);
}

/** @param {any} topo */
const countPoints = (topo) =>
	topo.arcs.reduce((/** @type {number} */ n, /** @type {any[]} */ arc) => n + arc.length, 0);

function buildSweden() {
	const municipalities = readJson(path.join(dir, 'swedish_municipalities.geojson'));
	const regions = readJson(path.join(dir, 'swedish_regions.geojson'));
	const sourcePoints = JSON.stringify(municipalities).split('],[').length;
	const topo = simplified(
		{
			municipalities: {
				type: 'FeatureCollection',
				features: municipalities.features
					.map((/** @type {any} */ f) => ({
						type: 'Feature',
						properties: {
							code: String(f.properties.id),
							name: String(f.properties.kom_namn),
							county: String(f.properties.lan_code),
							lat: round(f.properties.geo_point_2d[0], 5),
							lon: round(f.properties.geo_point_2d[1], 5)
						},
						geometry: rewind(f.geometry)
					}))
					.sort((/** @type {any} */ a, /** @type {any} */ b) =>
						a.properties.code.localeCompare(b.properties.code)
					)
			},
			regions: {
				type: 'FeatureCollection',
				features: regions.features
					.map((/** @type {any} */ f) => ({
						type: 'Feature',
						properties: {
							county: String(f.properties.l_id).padStart(2, '0'),
							name: String(f.properties.name)
						},
						geometry: rewind(f.geometry)
					}))
					.sort((/** @type {any} */ a, /** @type {any} */ b) =>
						a.properties.county.localeCompare(b.properties.county)
					)
			}
		},
		SWEDEN_MIN_WEIGHT
	);
	const out = path.join(dir, 'sweden.topo.json');
	writeFileSync(out, JSON.stringify(topo) + '\n');
	console.log(`${out}: ${countPoints(topo)} points kept (source about ${sourcePoints})`);
}

function buildWorld() {
	const world = readJson(require.resolve('world-atlas/countries-110m.json'));
	const countries = /** @type {any} */ (feature(world, world.objects.countries));
	const features = countries.features
		.filter((/** @type {any} */ f) => f.id !== '010') // Antarctica: no partners there, half the height
		.map((/** @type {any} */ f) => ({
			type: 'Feature',
			id: f.id,
			properties: { name: f.properties.name },
			geometry: f.geometry
		}));
	const topo = simplified({ countries: { type: 'FeatureCollection', features } }, WORLD_MIN_WEIGHT);
	const out = path.join(dir, 'world.topo.json');
	writeFileSync(out, JSON.stringify(topo) + '\n');
	console.log(`${out}: ${countPoints(topo)} points kept (world-atlas 110m: ${countPoints(world)})`);
}

buildSweden();
buildWorld();
