import { describe, expect, it } from 'vitest';
import { areaFrame, boundingBox, municipalityBox, renderAreaMap, type AreaPoint, type Box } from './area.ts';

// The area map of residents' reports: marks cluster near points and keep far ones apart, counts
// add up, every text is escaped, and a tap's coordinates follow from the drawn box alone.

const box: Box = [110.33, -7.84, 110.42, -7.76];
const text = { id: 'test-map', title: 'Reports', description: 'A map', count: (n: number) => `${n} reports` };
const hrefs: Box[] = [];
const input = (points: AreaPoint[], extra: Partial<Parameters<typeof renderAreaMap>[0]> = {}) => ({
	bbox: box,
	points,
	clusterHref: (b: Box) => {
		hrefs.push(b);
		return `/r?box=${b.join(',')}`;
	},
	...extra
});
const marks = (svg: string) => [...svg.matchAll(/<a [^>]*aria-label="([^"]*)"/g)].map((m) => m[1]);

describe('the area map', () => {
	it('merges near points into one mark with their count and keeps far ones apart', () => {
		const svg = renderAreaMap(
			input([
				{ lat: -7.8, lon: 110.36, label: 'Water', kind: 'c0' },
				{ lat: -7.8001, lon: 110.3601, label: 'Waste', kind: 'c1', count: 2 },
				{ lat: -7.77, lon: 110.41, label: 'Water', kind: 'c0' }
			]),
			text
		);
		expect(marks(svg).sort()).toEqual(['1 reports: Water', '3 reports: Waste, Water']);
		// The colour is the kind most of the mark's reports are.
		expect(svg).toMatch(/class="mark-c1"[^>]*\/><text[^>]*>3<\/text>/);
	});

	it('gives each mark the box of its points, skips points outside and escapes every text', () => {
		hrefs.length = 0;
		const svg = renderAreaMap(
			input([
				{ lat: -7.8, lon: 110.36, label: '<script>alert(1)</script>', kind: 'c0' },
				{ lat: 59.3, lon: 18.06, label: 'Stockholm', kind: 'c0' },
				{ lat: Number.NaN, lon: 110.36, label: 'Nowhere', kind: 'c0' }
			]),
			{ ...text, title: 'A & B' }
		);
		expect(hrefs).toEqual([[110.36, -7.8, 110.36, -7.8]]);
		expect(svg).not.toContain('<script>');
		expect(svg).toContain('&lt;script&gt;');
		expect(svg).toContain('A &amp; B');
		expect(svg).not.toContain('Stockholm');
	});

	it('keeps every coordinate inside the view, and maps the drawn box linearly', () => {
		const frame = areaFrame(box);
		const svg = renderAreaMap(input([{ lat: -7.76, lon: 110.42, label: 'Corner', kind: 'c0' }]), text);
		const [, , w, h] = /viewBox="([\d ]+)"/.exec(svg)![1]!.split(' ').map(Number);
		expect([w, h]).toEqual([frame.width, frame.height]);
		for (const m of svg.matchAll(/c([xy])="(\d+)"/g)) {
			expect(Number(m[2])).toBeLessThanOrEqual(m[1] === 'x' ? w! : h!);
		}
		const [west, south, east, north] = frame.box;
		expect(frame.x(west)).toBe(0);
		expect(frame.x(east)).toBeCloseTo(frame.width);
		expect(frame.y(north)).toBe(0);
		expect(frame.y(south)).toBeCloseTo(frame.height);
		// A long thin box is widened so the map keeps one scale in both directions.
		const thin = areaFrame([10, 50, 10.001, 51]);
		expect(thin.height).toBe(800);
		expect(thin.box[2] - thin.box[0]).toBeGreaterThan(0.5);
	});

	it('draws a Swedish municipality from the platform’s outlines, and a frame for an unknown code', () => {
		const ale = municipalityBox('1440');
		expect(ale).not.toBeNull();
		const svg = renderAreaMap(input([], { bbox: ale!, municipalityCode: '1440' }), text);
		expect(svg).toMatch(/<path class="area-outline" d="m\d/);
		expect(municipalityBox('9999')).toBeNull();
		expect(renderAreaMap(input([], { municipalityCode: '9999' }), text)).not.toContain('area-outline');
		expect(() => renderAreaMap(input([]), { ...text, id: '1 bad"' })).toThrow();
	});

	it('stays small for 100,000 points: a bounded number of marks, every point counted once', () => {
		const points: AreaPoint[] = [];
		for (let i = 0; i < 100_000; i++) {
			points.push({
				lat: -7.84 + ((i * 7919) % 8000) / 100_000,
				lon: 110.33 + ((i * 104729) % 9000) / 100_000,
				label: `c${i % 4}`,
				kind: `c${i % 4}`
			});
		}
		const svg = renderAreaMap(input(points), text);
		const counts = marks(svg).map((m) => Number(m!.split(' ')[0]));
		expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000);
		expect(counts.length).toBeLessThan(700);
		expect(svg.length).toBeLessThan(150_000);
	});

	it('asks no tile server unless given one, and then covers the drawn box with its tiles', () => {
		const yogyakarta: Box = [110.335, -7.835, 110.41, -7.765];
		const input = { bbox: yogyakarta, points: [], clusterHref: () => '' };
		expect(renderAreaMap(input, text)).not.toContain('<image');
		const svg = renderAreaMap({ ...input, tiles: 'https://tiles.example.org/{z}/{x}/{y}.png?a=1&b=2' }, text);
		const images = [
			...svg.matchAll(/<image href="([^"]+)" x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)
		];
		expect(images.length).toBeGreaterThan(1);
		expect(images.length).toBeLessThanOrEqual(36);
		// Zoom 13 around Yogyakarta: tile 6607 of 8192 across; the address escaped for XML.
		expect(images[0]![1]).toMatch(/^https:\/\/tiles\.example\.org\/13\/66\d\d\/\d+\.png\?a=1&amp;b=2$/);
		const frame = areaFrame(yogyakarta);
		const [left, top] = [
			Math.min(...images.map((m) => Number(m[2]))),
			Math.min(...images.map((m) => Number(m[3])))
		];
		const right = Math.max(...images.map((m) => Number(m[2]) + Number(m[4])));
		const bottom = Math.max(...images.map((m) => Number(m[3]) + Number(m[5])));
		expect(left).toBeLessThanOrEqual(0);
		expect(top).toBeLessThanOrEqual(0);
		expect(right).toBeGreaterThanOrEqual(frame.width);
		expect(bottom).toBeGreaterThanOrEqual(frame.height);
	});

	it('finds the extent of points with a least span', () => {
		expect(boundingBox([])).toBeNull();
		expect(boundingBox([{ lat: 1, lon: 2 }], 0.02)).toEqual([1.99, 0.99, 2.01, 1.01]);
	});
});
