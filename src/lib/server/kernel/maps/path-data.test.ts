import { describe, expect, it } from 'vitest';
import { geoIdentity } from 'd3-geo';
import { pathData } from './path-data.ts';

/** Screen coordinates as they are: d3's identity projection, y pointing down. */
const identity = geoIdentity();

describe('pathData', () => {
	it('writes rings relative, with implicit line-tos and minimal separators', () => {
		const square = {
			type: 'Polygon' as const,
			coordinates: [
				[
					[10, 10],
					[20, 10],
					[20, 20],
					[10, 20],
					[10, 10]
				]
			]
		};
		expect(pathData(identity, square)).toBe('m10 10 10 0 0 10-10 0z');
	});

	it('rounds to whole units and drops repeated points', () => {
		const line = {
			type: 'LineString' as const,
			coordinates: [
				[0.4, 0.4],
				[0.6, 0.4],
				[10.2, 5.6],
				[10.4, 5.7]
			]
		};
		expect(pathData(identity, line)).toBe('m0 0 1 0 9 6');
	});

	it('moves from the start of the previous closed ring', () => {
		const two = {
			type: 'MultiPolygon' as const,
			coordinates: [
				[
					[
						[0, 0],
						[10, 0],
						[10, 10],
						[0, 0]
					]
				],
				[
					[
						[50, 50],
						[60, 50],
						[60, 60],
						[50, 50]
					]
				]
			]
		};
		expect(pathData(identity, two)).toBe('m0 0 10 0 0 10zm50 50 10 0 0 10z');
	});

	it('drops small rings but never the largest', () => {
		const ring = (x: number, size: number) => [
			[
				[x, 0],
				[x + size, 0],
				[x + size, size],
				[x, size],
				[x, 0]
			]
		];
		const islands = { type: 'MultiPolygon' as const, coordinates: [ring(0, 2), ring(10, 20)] };
		expect(pathData(identity, islands, { minRingArea: 10 })).toBe('m10 0 20 0 0 20-20 0z');
		const tiny = { type: 'MultiPolygon' as const, coordinates: [ring(0, 1), ring(10, 2)] };
		expect(pathData(identity, tiny, { minRingArea: 10 })).toBe('m10 0 2 0 0 2-2 0z');
	});
});
