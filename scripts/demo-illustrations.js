// @ts-nocheck -- a generator run by hand; its output is what is checked (app/demo.test.ts).
// npm run demo:illustrations — draws the demo's lead images: one picture for each demo article
// and partnership, made for this project from simple shapes (people as rounded figures, speech
// bubbles, houses, paths, a balance, bars) in the colours of the item's Global Goals, as SVG,
// written as WebP into data/demo/illustrations with their descriptions (alt text) in Swedish
// and English in illustrations.json. The files are committed; the demo loads them through the
// media library like any upload (app/demo.ts). The output is the same on every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const dir = path.join('data', 'demo', 'illustrations');
const W = 1200;
const H = 675;
// The Global Goals' colours (data/sdg/goals.json), and the site's ink and paper.
const goal = {
	3: '#4C9F38',
	4: '#C5192D',
	10: '#DD1367',
	11: '#FD9D24',
	16: '#00689D',
	17: '#19486A'
};
const ink = '#1b1f24';
const paper = '#f6f3ec';

/** A person: a head and rounded shoulders. */
const person = (x, y, s, fill) =>
	`<circle cx="${x}" cy="${y - 1.15 * s}" r="${0.45 * s}" fill="${fill}"/>` +
	`<path d="M${x - 0.8 * s} ${y + 0.9 * s} q0 ${-1.4 * s} ${0.8 * s} ${-1.4 * s} q${0.8 * s} 0 ${0.8 * s} ${1.4 * s} z" fill="${fill}"/>`;

/** A speech bubble with its tail to the left or right. */
const bubble = (x, y, w, h, fill, tail = 'left') => {
	const tx = tail === 'left' ? x + 0.2 * w : x + 0.8 * w;
	const dx = tail === 'left' ? -0.08 * w : 0.08 * w;
	return (
		`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${h * 0.3}" fill="${fill}"/>` +
		`<path d="M${tx - 0.06 * w} ${y + h - 1} L${tx + dx} ${y + h + 0.35 * h} L${tx + 0.06 * w} ${y + h - 1} z" fill="${fill}"/>`
	);
};

/** Lines of "text" inside a bubble. */
const lines = (x, y, w, n, fill) =>
	Array.from(
		{ length: n },
		(_, i) =>
			`<rect x="${x}" y="${y + i * 26}" width="${w * (i === n - 1 ? 0.6 : 1)}" height="12" rx="6" fill="${fill}"/>`
	).join('');

/** A house: walls and a roof. */
const house = (x, y, s, wall, roof) =>
	`<rect x="${x - s}" y="${y - 1.2 * s}" width="${2 * s}" height="${1.2 * s}" fill="${wall}"/>` +
	`<path d="M${x - 1.25 * s} ${y - 1.15 * s} L${x} ${y - 2.2 * s} L${x + 1.25 * s} ${y - 1.15 * s} z" fill="${roof}"/>` +
	`<rect x="${x - 0.25 * s}" y="${y - 0.6 * s}" width="${0.5 * s}" height="${0.6 * s}" fill="${paper}"/>`;

/** Two places joined by an arc: the partnership between a Swedish municipality and its partner. */
const partnership = (left, right, motif) => `
	<rect width="${W}" height="${H}" fill="${paper}"/>
	<path d="M0 ${H * 0.78} C ${W * 0.3} ${H * 0.7}, ${W * 0.7} ${H * 0.86}, ${W} ${H * 0.76} L${W} ${H} L0 ${H} z" fill="${left}" opacity="0.18"/>
	<path d="M${W * 0.22} ${H * 0.52} C ${W * 0.35} ${H * 0.05}, ${W * 0.65} ${H * 0.05}, ${W * 0.78} ${H * 0.52}" fill="none" stroke="${ink}" stroke-width="6" stroke-dasharray="18 14"/>
	<circle cx="${W * 0.22}" cy="${H * 0.55}" r="120" fill="${left}"/>
	<circle cx="${W * 0.78}" cy="${H * 0.55}" r="120" fill="${right}"/>
	${person(W * 0.2, H * 0.6, 44, paper)}${person(W * 0.245, H * 0.62, 34, paper)}
	${person(W * 0.76, H * 0.6, 44, paper)}${person(W * 0.805, H * 0.62, 34, paper)}
	${motif}`;

const pictures = [
	{
		slug: 'ansvarsutkravande-borjar-i-den-lokala-politiken',
		kind: 'article',
		alt: {
			sv: 'Illustration: en våg i balans, med två invånare i den ena vågskålen och ett hus i den andra, i blått.',
			en: 'Illustration: a balance held level, with two residents in one pan and a house in the other, in blue.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			<rect x="${W / 2 - 8}" y="150" width="16" height="390" fill="${ink}"/>
			<rect x="${W / 2 - 120}" y="530" width="240" height="24" rx="12" fill="${ink}"/>
			<rect x="${W / 2 - 330}" y="170" width="660" height="14" rx="7" fill="${ink}"/>
			<path d="M${W / 2 - 330} 184 l-90 170 h180 z" fill="${goal[16]}" opacity="0.25"/>
			<path d="M${W / 2 + 330} 184 l-90 170 h180 z" fill="${goal[16]}" opacity="0.25"/>
			${person(W / 2 - 370, 330, 30, goal[16])}${person(W / 2 - 300, 335, 26, goal[16])}
			${house(W / 2 + 330, 352, 62, goal[16], ink)}`
	},
	{
		slug: 'iqa-2016-partnerskap-pa-vag-mot-mer-lokal-demokrati',
		kind: 'article',
		alt: {
			sv: 'Illustration: fem staplar som växer från vänster till höger, med en uppåtgående linje över dem, i mörkblått och blått.',
			en: 'Illustration: five bars growing from left to right with a rising line above them, in dark blue and blue.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			<rect x="180" y="560" width="840" height="10" fill="${ink}"/>
			${[140, 200, 260, 330, 400]
				.map(
					(h, i) =>
						`<rect x="${230 + i * 160}" y="${560 - h}" width="110" height="${h}" rx="10" fill="${i % 2 ? goal[16] : goal[17]}"/>`
				)
				.join('')}
			<path d="M285 ${560 - 190} L445 ${560 - 250} L605 ${560 - 310} L765 ${560 - 380} L925 ${560 - 450}" fill="none" stroke="${ink}" stroke-width="8" stroke-linecap="round" stroke-linejoin="round"/>
			<circle cx="925" cy="${560 - 450}" r="16" fill="${ink}"/>`
	},
	{
		slug: 'medborgardialog-som-raddar-liv',
		kind: 'article',
		alt: {
			sv: 'Illustration: invånare i en ring kring en stor vattendroppe, i grönt och blått.',
			en: 'Illustration: residents in a ring around a large drop of water, in green and blue.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			<path d="M${W / 2} 150 C ${W / 2 + 40} 230, ${W / 2 + 110} 300, ${W / 2 + 110} 380 A 110 110 0 0 1 ${W / 2 - 110} 380 C ${W / 2 - 110} 300, ${W / 2 - 40} 230, ${W / 2} 150 z" fill="${goal[16]}"/>
			${Array.from({ length: 8 }, (_, i) => {
				const a = (Math.PI * 2 * i) / 8 + Math.PI / 8;
				return person(W / 2 + Math.cos(a) * 300, 360 + Math.sin(a) * 200, 34, goal[3]);
			}).join('')}`
	},
	{
		slug: 'darfor-satsar-skl-pa-medborgardialog',
		kind: 'article',
		alt: {
			sv: 'Illustration: två personer med var sin pratbubbla, i blått och mörkblått.',
			en: 'Illustration: two people, each with a speech bubble, in blue and dark blue.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			${person(340, 520, 80, goal[16])}${person(860, 520, 80, goal[17])}
			${bubble(180, 130, 360, 170, goal[16], 'right')}${lines(220, 175, 280, 3, paper)}
			${bubble(660, 150, 360, 150, goal[17], 'left')}${lines(700, 195, 280, 2, paper)}`
	},
	{
		slug: 'tidsresemetodiken',
		kind: 'article',
		alt: {
			sv: 'Illustration: en urtavla framför en rad hus och en grupp människor, i rött och orange.',
			en: 'Illustration: a clock face in front of a row of houses and a group of people, in red and orange.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			<circle cx="${W / 2}" cy="250" r="170" fill="${goal[4]}"/>
			<circle cx="${W / 2}" cy="250" r="140" fill="${paper}"/>
			<path d="M${W / 2} 250 L${W / 2} 140 M${W / 2} 250 L${W / 2 - 80} 300" stroke="${ink}" stroke-width="14" stroke-linecap="round"/>
			${house(200, 600, 60, goal[11], ink)}${house(360, 600, 50, goal[4], ink)}${house(880, 600, 55, goal[11], ink)}${house(1030, 600, 48, goal[4], ink)}
			${person(560, 600, 40, goal[4])}${person(640, 605, 34, goal[11])}`
	},
	{
		slug: 'kritiska-fragor-blev-en-vag-till-dialog',
		kind: 'article',
		alt: {
			sv: 'Illustration: ett frågetecken och en pratbubbla mellan två personer, i blått.',
			en: 'Illustration: a question mark and a speech bubble between two people, in blue.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			${person(250, 540, 80, goal[16])}${person(950, 540, 80, ink)}
			<text x="420" y="380" font-family="DejaVu Sans, sans-serif" font-size="300" font-weight="700" fill="${goal[16]}">?</text>
			${bubble(620, 150, 300, 150, goal[16], 'right')}${lines(660, 195, 220, 2, paper)}`
	},
	{
		slug: 'ale-soker-nya-vagar-till-invanarna',
		kind: 'article',
		alt: {
			sv: 'Illustration: tre stigar som möts vid ett hus, med invånare längs vägen, i orange.',
			en: 'Illustration: three paths meeting at a house, with residents along the way, in orange.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			<path d="M80 660 C 300 560, 450 430, ${W / 2} 330 M${W / 2} 660 L${W / 2} 330 M1120 660 C 900 560, 750 430, ${W / 2} 330" fill="none" stroke="${goal[11]}" stroke-width="26" stroke-linecap="round"/>
			${house(W / 2, 320, 90, ink, goal[11])}
			${person(260, 560, 34, goal[11])}${person(W / 2 + 70, 560, 30, ink)}${person(930, 560, 34, goal[11])}`
	},
	{
		slug: 'nya-tider-kraver-nya-demokratiska-strukturer',
		kind: 'article',
		alt: {
			sv: 'Illustration: höga och låga hus i en stad, med pilar som pekar in mot mitten, i rosa och orange.',
			en: 'Illustration: tall and low buildings in a town, with arrows pointing towards the centre, in pink and orange.'
		},
		svg: `<rect width="${W}" height="${H}" fill="${paper}"/>
			${[
				[300, 260],
				[420, 380],
				[540, 200],
				[660, 320],
				[780, 240],
				[900, 360]
			]
				.map(
					([x, h], i) =>
						`<rect x="${x - 50}" y="${600 - h}" width="100" height="${h}" fill="${i % 2 ? goal[10] : goal[11]}"/>`
				)
				.join('')}
			<rect x="150" y="600" width="900" height="12" fill="${ink}"/>
			<path d="M60 180 h140 m-40 -30 l40 30 l-40 30 M1140 180 h-140 m40 -30 l-40 30 l40 30" fill="none" stroke="${ink}" stroke-width="12" stroke-linecap="round" stroke-linejoin="round"/>`
	},
	{
		slug: 'vasterbotten-yogyakarta',
		kind: 'partnership',
		alt: {
			sv: 'Illustration: två grupper av människor, i en grön och en blå cirkel, förbundna av en streckad båge.',
			en: 'Illustration: two groups of people, in a green and a blue circle, joined by a dashed arc.'
		},
		svg: partnership(goal[3], goal[16], '')
	},
	{
		slug: 'kalmar-cape-winelands',
		kind: 'partnership',
		alt: {
			sv: 'Illustration: två grupper av människor, i en röd och en orange cirkel, förbundna av en streckad båge med ett hus under.',
			en: 'Illustration: two groups of people, in a red and an orange circle, joined by a dashed arc with a house beneath.'
		},
		svg: partnership(goal[4], goal[11], house(W / 2, 560, 60, ink, goal[11]))
	},
	{
		slug: 'horby-peja',
		kind: 'partnership',
		alt: {
			sv: 'Illustration: två grupper av människor i blå cirklar, förbundna av en streckad båge med en pratbubbla över.',
			en: 'Illustration: two groups of people in blue circles, joined by a dashed arc with a speech bubble above it.'
		},
		svg: partnership(
			goal[16],
			goal[17],
			`${bubble(W / 2 - 110, 40, 220, 100, ink, 'left')}${lines(W / 2 - 80, 70, 160, 2, paper)}`
		)
	},
	{
		slug: 'ale-ghanzi',
		kind: 'partnership',
		alt: {
			sv: 'Illustration: två grupper av människor, i en orange och en blå cirkel, förbundna av en streckad båge med en stig under.',
			en: 'Illustration: two groups of people, in an orange and a blue circle, joined by a dashed arc with a path beneath.'
		},
		svg: partnership(
			goal[11],
			goal[16],
			`<path d="M${W * 0.35} ${H} C ${W * 0.45} ${H * 0.8}, ${W * 0.55} ${H * 0.8}, ${W * 0.65} ${H}" fill="none" stroke="${ink}" stroke-width="14"/>`
		)
	}
];

mkdirSync(dir, { recursive: true });
for (const p of pictures) {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${p.svg}</svg>`;
	const webp = await sharp(Buffer.from(svg)).webp({ quality: 82, effort: 6 }).toBuffer();
	writeFileSync(path.join(dir, `${p.slug}.webp`), webp);
	console.log(`${p.slug}.webp ${webp.length} bytes`);
}
writeFileSync(
	path.join(dir, 'illustrations.json'),
	`${JSON.stringify(
		{
			about:
				"The demo's lead images, drawn for this project by scripts/demo-illustrations.js (npm run demo:illustrations); the same licence as the code. alt: each picture's description.",
			pictures: pictures.map(({ slug, kind, alt }) => ({ slug, kind, file: `${slug}.webp`, alt }))
		},
		null,
		2
	)}\n`
);
