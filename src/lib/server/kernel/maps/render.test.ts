import { describe, expect, it } from 'vitest';
import { swedenTopology, type MunicipalityProperties } from './topology.ts';
import {
	countBuckets,
	renderPartnershipMap,
	type MapPlace,
	type PartnershipMapInput,
	type PartnershipMapLabels
} from './render.ts';

const labels: PartnershipMapLabels = {
	world: {
		id: 'world-map',
		title: 'Partnerships in the world',
		description: 'Partners abroad and in Sweden.'
	},
	sweden: { id: 'sweden-map', title: 'Partnerships by municipality', description: 'Municipalities by count.' }
};

const place = (id: string, name: string, lat: number, lon: number, count = 1): MapPlace => ({
	id,
	name,
	lat,
	lon,
	href: `/partnerships/${id}`,
	count
});

const municipality = (code: string) =>
	swedenTopology()
		.objects.municipalities.geometries.map((g) => g.properties as MunicipalityProperties)
		.find((p) => p.code === code)!;
const ale = municipality('1440');
const horby = municipality('1266');
/** The four demo partnerships. */
function demo(): PartnershipMapInput {
	const partners = [
		place('yogyakarta', 'Yogyakarta', -7.8, 110.37),
		place('cape-winelands', 'Cape Winelands District Municipality', -33.7, 19.4),
		place('peja', 'Peja / Pejë', 42.66, 20.29),
		place('ghanzi', 'Ghanzi District Council', -21.7, 21.6)
	];
	const swedishPoints = [
		place('vasterbotten', 'Region Västerbotten', 64.87, 17.88),
		place('kalmar', 'Regionförbundet i Kalmar län', 57.19, 16.12),
		place('horby', 'Hörby kommun', horby.lat, horby.lon),
		place('ale', 'Ale kommun', ale.lat, ale.lon)
	];
	return {
		partners,
		swedishPoints,
		links: partners.map((p, i) => ({ from: p, to: swedishPoints[i]! })),
		municipalityCounts: { '1440': 1, '1266': 1 }
	};
}

const empty: PartnershipMapInput = { partners: [], links: [], municipalityCounts: {}, swedishPoints: [] };

/** The circles of one group (`map-partners` or `map-home-marks`). */
function circlesIn(svg: string, group: string): string[] {
	const start = svg.indexOf(`<g class="${group}">`);
	if (start < 0) return [];
	const body = svg.slice(start, svg.indexOf('</g>', start));
	return body.match(/<circle [^>]*>.*?<\/circle>/g) ?? [];
}

/** The subpaths of the links path: one "M" per line. */
function linkCount(svg: string): number {
	const d = /<path class="map-links"[^>]* d="([^"]*)"/.exec(svg)?.[1] ?? '';
	return (d.match(/M/g) ?? []).length;
}

/** The fill class of a municipality, found by its title. */
function fillOf(svg: string, name: string): string | undefined {
	const re = new RegExp(`<path d="[^"]*" class="(map-n\\d)"><title>${name}: \\d+</title></path>`);
	return re.exec(svg)?.[1];
}

/**
 * A small well-formedness check: tags nest and close, attributes are quoted and unique, text and
 * attribute values hold no raw "<" and only known entities, one root element.
 */
function assertWellFormedXml(xml: string): void {
	const stack: string[] = [];
	const name = /[A-Za-z_][\w.:-]*/y;
	const entity = /&(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/y;
	const checkText = (text: string) => {
		for (let k = text.indexOf('&'); k >= 0; k = text.indexOf('&', k + 1)) {
			entity.lastIndex = k;
			if (!entity.test(text)) throw new Error(`Bad entity at ${text.slice(k, k + 12)}`);
		}
	};
	let roots = 0;
	let i = 0;
	while (i < xml.length) {
		const lt = xml.indexOf('<', i);
		const text = xml.slice(i, lt < 0 ? xml.length : lt);
		checkText(text);
		if (stack.length === 0 && text.trim()) throw new Error('Text outside the root element');
		if (lt < 0) break;
		if (xml.startsWith('</', lt)) {
			const end = xml.indexOf('>', lt);
			const tag = xml.slice(lt + 2, end).trim();
			const open = stack.pop();
			if (open !== tag) throw new Error(`</${tag}> closes <${open}>`);
			i = end + 1;
			continue;
		}
		name.lastIndex = lt + 1;
		const m = name.exec(xml);
		if (!m) throw new Error(`Bad tag at ${xml.slice(lt, lt + 20)}`);
		if (stack.length === 0) roots++;
		let j = name.lastIndex;
		const seen = new Set<string>();
		for (;;) {
			while (/\s/.test(xml[j] ?? '')) j++;
			if (xml.startsWith('/>', j)) {
				j += 2;
				break;
			}
			if (xml[j] === '>') {
				stack.push(m[0]);
				j += 1;
				break;
			}
			name.lastIndex = j;
			const attr = name.exec(xml);
			if (!attr || xml[name.lastIndex] !== '=') throw new Error(`Bad attribute at ${xml.slice(j, j + 20)}`);
			if (seen.has(attr[0])) throw new Error(`Duplicate attribute ${attr[0]}`);
			seen.add(attr[0]);
			const quote = xml[name.lastIndex + 1];
			if (quote !== '"' && quote !== "'") throw new Error(`Unquoted attribute ${attr[0]}`);
			const close = xml.indexOf(quote, name.lastIndex + 2);
			if (close < 0) throw new Error('Unclosed attribute');
			const value = xml.slice(name.lastIndex + 2, close);
			if (value.includes('<')) throw new Error(`"<" in attribute ${attr[0]}`);
			checkText(value);
			j = close + 1;
		}
		i = j;
	}
	if (stack.length) throw new Error(`Unclosed <${stack.join('>, <')}>`);
	if (roots !== 1) throw new Error(`${roots} root elements`);
}

describe('assertWellFormedXml', () => {
	it('accepts well-formed and rejects broken markup', () => {
		expect(() =>
			assertWellFormedXml('<svg a="1"><title>x &amp; y</title><path d="m0 0"/></svg>')
		).not.toThrow();
		for (const bad of [
			'<svg><title>x</svg>',
			'<svg><title>a < b</title></svg>',
			'<svg a="1" a="2"/>',
			'<svg a=1/>',
			'<svg><title>x & y</title></svg>',
			'<svg/><svg/>'
		]) {
			expect(() => assertWellFormedXml(bad), bad).toThrow();
		}
	});
});

describe('renderPartnershipMap', () => {
	it('draws the four demo partnerships: a mark per partner and per Swedish partner, a line per link', () => {
		const map = renderPartnershipMap(demo(), labels);
		expect(circlesIn(map.world, 'map-partners')).toHaveLength(4);
		expect(circlesIn(map.world, 'map-home-marks').length).toBeGreaterThanOrEqual(3); // Ale and Hörby may share a cell
		expect(linkCount(map.world)).toBe(4);
		// Few lines: curves along the great circles, clearly visible.
		expect(map.world).toMatch(/<path class="map-links" stroke-opacity="0.60" d="M[^"]*Q/);
		expect(map.world).toContain('<title>Peja / Pejë</title>');
		expect(circlesIn(map.sweden, 'map-home-marks')).toHaveLength(4);
		// Links may run either way round.
		const reversed = demo();
		reversed.links = reversed.links.map((l) => ({ from: l.to, to: l.from }));
		expect(linkCount(renderPartnershipMap(reversed, labels).world)).toBe(4);
	});

	it('merges partners at the same place into one mark with their names and counts', () => {
		const input = demo();
		input.partners.push(place('peja-2', 'Pejë Youth Council', 42.6601, 20.2899, 2));
		input.links.push({ from: input.partners[4]!, to: input.swedishPoints[2]! });
		const map = renderPartnershipMap(input, labels);
		const marks = circlesIn(map.world, 'map-partners');
		expect(marks).toHaveLength(4);
		const peja = marks.find((c) => c.includes('Peja'))!;
		expect(peja).toContain('<title>Peja / Pejë, Pejë Youth Council (2)</title>');
		// Three partnerships there: bigger than a single one.
		const radius = (c: string) => Number(/ r="(\d+)"/.exec(c)![1]);
		const single = marks.find((c) => c.includes('Yogyakarta'))!;
		expect(radius(peja)).toBeGreaterThan(radius(single));
		// The two links from the same place to the same partner are one line.
		expect(linkCount(map.world)).toBe(4);
	});

	it('lists at most three names in a mark and counts the rest', () => {
		const input = { ...empty, partners: [1, 2, 3, 4, 5].map((n) => place(`p${n}`, `P${n}`, 10, 10)) };
		const [mark] = circlesIn(renderPartnershipMap(input, labels).world, 'map-partners');
		expect(mark).toContain('<title>P1, P2, P3 +2</title>');
	});

	it('shades a municipality by its count: 0, 1, 2–3 and 4+ for a small programme', () => {
		const input = { ...empty, municipalityCounts: { '1440': 3, '1266': 1, '0180': 7, '9999': 4 } };
		const map = renderPartnershipMap(input, labels);
		expect(fillOf(map.sweden, 'Ale')).toBe('map-n2');
		expect(fillOf(map.sweden, 'Hörby')).toBe('map-n1');
		expect(fillOf(map.sweden, 'Stockholm')).toBe('map-n3');
		expect(fillOf(map.sweden, 'Kiruna')).toBe('map-n0');
		expect(map.sweden).toContain('<title>Ale: 3</title>');
		expect(map.sweden.match(/<path d="[^"]*" class="map-n\d">/g)).toHaveLength(290);
		expect(map.legend).toEqual([
			{ label: '0', className: 'map-n0', min: 0, max: 0 },
			{ label: '1', className: 'map-n1', min: 1, max: 1 },
			{ label: '2–3', className: 'map-n2', min: 2, max: 3 },
			{ label: '4+', className: 'map-n3', min: 4, max: null }
		]);
	});

	it('uses thirds of the municipalities when most have many partnerships', () => {
		expect(countBuckets([0, 0, 1, 2, 3])).toEqual([1, 2, 4]);
		expect(countBuckets([0, 5, 6, 7, 8, 9, 10, 11, 12, 13])).toEqual([1, 9, 12]);
		expect(countBuckets([4, 4, 4, 4])).toEqual([1, 5, 6]);
	});

	it('escapes every text from the input and the labels', () => {
		const nasty = `<script>alert("x")</script> & 'quoted'`;
		const input = demo();
		input.partners[0] = place('x', nasty, -7.8, 110.37);
		input.swedishPoints[0] = place('y', nasty, 64.87, 17.88);
		const map = renderPartnershipMap(input, {
			world: { id: 'w', title: nasty, description: nasty },
			sweden: { id: 's', title: '</title><script>', description: '"><a href="x">' }
		});
		for (const svg of [map.world, map.sweden]) {
			expect(svg).not.toMatch(/<script|'quoted'|"x"|<a href="x"/);
			assertWellFormedXml(svg);
		}
		expect(map.world).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos;');
	});

	it('refuses ids that are not plain', () => {
		expect(() =>
			renderPartnershipMap(empty, { ...labels, world: { ...labels.world, id: 'a" onload="x' } })
		).toThrow();
		expect(() =>
			renderPartnershipMap(empty, { ...labels, sweden: { ...labels.sweden, id: 'two words' } })
		).toThrow();
	});

	it('names itself, and links each mark of one place and each named line, with names; no inline styles', () => {
		const input = demo();
		input.links = input.links.map((l, i) => ({
			...l,
			href: `/partnerships/p${i}`,
			name: `Partnership ${i}`
		}));
		const map = renderPartnershipMap(input, labels);
		for (const [svg, text] of [
			[map.world, labels.world],
			[map.sweden, labels.sweden]
		] as const) {
			assertWellFormedXml(svg);
			expect(svg).toContain(`aria-labelledby="${text.id}-title ${text.id}-desc"`);
			expect(svg).toContain(`<title id="${text.id}-title">${text.title}</title>`);
			expect(svg).toContain(`<desc id="${text.id}-desc">${text.description}</desc>`);
			expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
			expect(svg).not.toMatch(/tabindex|style=|<style/);
		}
		// Both hold links, so they are groups (an image hides what is inside it).
		expect(map.world).toMatch(/^<svg [^>]*role="group"/);
		expect(map.sweden).toMatch(/^<svg [^>]*role="group"/);
		// Up close, each Swedish partner links to its page, its name beside it.
		expect(map.sweden).toContain(
			'<a href="/partnerships/kalmar" aria-label="Regionförbundet i Kalmar län"><circle'
		);
		expect(map.sweden).toMatch(
			/<g class="map-labels" aria-hidden="true">(<text [^>]*>[^<]+<\/text>){4}<\/g>/
		);
		for (let i = 0; i < 4; i++) {
			expect(map.world).toContain(`<a href="/partnerships/p${i}" aria-label="Partnership ${i}">`);
		}
		expect(map.world).toContain(
			'<a href="/partnerships/ghanzi" aria-label="Ghanzi District Council"><circle'
		);
		expect(map.world).toContain('<a href="/partnerships/ale" aria-label="Ale kommun"><circle');
		// Four marks abroad: each with its name beside it, hidden from screen readers (the link names it).
		expect(map.world).toMatch(/<g class="map-labels" aria-hidden="true">(<text [^>]*>[^<]+<\/text>){4}<\/g>/);
	});

	it('is an image without links when nothing names a link', () => {
		const input = demo();
		for (const p of [...input.partners, ...input.swedishPoints]) p.href = '';
		const map = renderPartnershipMap(input, labels);
		for (const svg of [map.world, map.sweden]) {
			expect(svg).toMatch(/^<svg [^>]*role="img"/);
			expect(svg).not.toMatch(/<a[\s>]|href=/);
		}
	});

	it('skips places and links it cannot draw', () => {
		const input: PartnershipMapInput = {
			...empty,
			partners: [
				place('a', 'Nowhere', Number.NaN, 10),
				place('b', 'Beyond', 120, 10),
				place('c', 'Quito', -0.18, -78.47)
			],
			links: [
				{ from: { lat: Number.NaN, lon: 0 }, to: { lat: 59, lon: 18 } },
				{ from: { lat: -0.18, lon: -78.47 }, to: { lat: 59.33, lon: 18.07 } }
			],
			municipalityCounts: { '1440': Number.NaN, '1266': -2 }
		};
		const map = renderPartnershipMap(input, labels);
		expect(circlesIn(map.world, 'map-partners')).toHaveLength(1);
		expect(linkCount(map.world)).toBe(1);
		expect(fillOf(map.sweden, 'Ale')).toBe('map-n0');
		expect(fillOf(map.sweden, 'Hörby')).toBe('map-n0');
		assertWellFormedXml(map.world);
	});

	it('draws an empty programme as land and municipalities only, small', () => {
		const map = renderPartnershipMap(empty, labels);
		expect(map.world).not.toContain('<circle');
		expect(map.world).not.toContain('map-links');
		expect(map.world.length + map.sweden.length).toBeLessThan(70_000);
	});

	it('keeps 2,000 partnerships to a mark per place and a line per link', () => {
		let seed = 1;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		const input: PartnershipMapInput = {
			...empty,
			swedishPoints: [place('ale', 'Ale kommun', ale.lat, ale.lon, 2000)]
		};
		for (let i = 0; i < 2000; i++) {
			const p = place(`p${i}`, `Partner ${i}`, -30 + random() * 60, -80 + random() * 200);
			input.partners.push(p);
			input.links.push({ from: p, to: input.swedishPoints[0]! });
		}
		const map = renderPartnershipMap(input, labels);
		const marks = circlesIn(map.world, 'map-partners');
		expect(marks.length).toBeLessThanOrEqual(2000);
		expect(linkCount(map.world)).toBe(marks.length);
		// A bundle this dense is drawn straight and faint.
		expect(Number(/class="map-links" stroke-opacity="([\d.]+)"/.exec(map.world)?.[1])).toBeLessThan(0.2);
		expect(map.world).not.toMatch(/<path class="map-links"[^>]*Q/);
		assertWellFormedXml(map.world);
	});

	it('links a world-map mark of several places where they stand apart, named by them', () => {
		const base = demo();
		// Höör, beside Hörby: the two are one mark on the world map.
		const input = {
			...base,
			swedishPoints: [
				...base.swedishPoints,
				place('hoor', 'Höörs kommun', horby.lat + 0.05, horby.lon - 0.1)
			],
			clusters: {
				swedish: { href: '#sweden-map-view', note: 'see them on the map of Sweden' },
				partners: { href: '#list', note: 'see them in the list' }
			}
		};
		const { world } = renderPartnershipMap(input, labels);
		// That mark leads to the Sweden map, named by both places.
		const home = /<g class="map-home-marks">(.*?)<\/g>/.exec(world)![1]!;
		expect(home).toMatch(
			/<a href="#sweden-map-view" aria-label="[^"]*Hörby kommun[^"]*– see them on the map of Sweden">/
		);
		expect(home).toMatch(/aria-label="[^"]*Höörs kommun[^"]*– see them/);
		// A partner on its own still links to its own page.
		expect(world).toContain('<a href="/partnerships/ghanzi" aria-label="Ghanzi District Council">');
		// Without the option, a mark of several places links nowhere.
		expect(renderPartnershipMap(demo(), labels).world).not.toContain('#sweden-map-view');
	});

	it('points the way from each Swedish partner to its partner abroad on the map of Sweden, as links', () => {
		const input = demo();
		input.links = input.links.map((l, i) => ({
			...l,
			href: `/partnerships/p${i}`,
			name: `Partnership ${i}`
		}));
		const { sweden } = renderPartnershipMap(input, labels);
		const lines = [
			...sweden.matchAll(
				/<a href="([^"]+)" aria-label="([^"]+)"><path class="map-link-hit" d="M(\d+) (\d+)L(\d+) (\d+)"\/>/g
			)
		].map((m) => ({ href: m[1], name: m[2], a: [+m[3]!, +m[4]!] as const, b: [+m[5]!, +m[6]!] as const }));
		expect(lines.map((l) => l.name).sort()).toEqual([
			'Partnership 0',
			'Partnership 1',
			'Partnership 2',
			'Partnership 3'
		]);
		// Hörby (link 2) points south-east, to Peja; Ale (link 3) south, towards Ghanzi.
		const peja = lines.find((l) => l.href === '/partnerships/p2')!;
		expect(peja.b[0]).toBeGreaterThan(peja.a[0]);
		expect(peja.b[1]).toBeGreaterThan(peja.a[1]);
		const ghanzi = lines.find((l) => l.href === '/partnerships/p3')!;
		expect(ghanzi.b[1] - ghanzi.a[1]).toBeGreaterThan(Math.abs(ghanzi.b[0] - ghanzi.a[0]));
		// Lines without a partnership to link to are not drawn here.
		expect(renderPartnershipMap(demo(), labels).sweden).not.toContain('map-pointer');
	});
});
