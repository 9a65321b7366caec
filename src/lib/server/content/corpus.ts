import type { ArticleInput } from './import.ts';
import { articleKinds, principleKeys } from './schema.ts';

/**
 * A synthetic corpus for benchmarks and tests at scale: articles in Swedish and English of
 * realistic length, with varied themes, goals, targets and countries. Deterministic (seeded), so
 * two runs measure the same data. Never part of the demo content.
 */

/** A small seeded PRNG (mulberry32): reproducible and fast. */
export function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const topics = [
	'migration',
	'urbanisation',
	'globalisation',
	'health',
	'culture',
	'climate',
	'gender-equality'
];
const countries = [
	'ID',
	'ZA',
	'XK',
	'BW',
	'KE',
	'TZ',
	'UG',
	'VN',
	'UA',
	'GE',
	'MK',
	'BA',
	'NA',
	'RW',
	'ZM',
	'MZ'
];
const targetsByGoal: Record<number, string[]> = {
	1: ['1.3', '1.4'],
	3: ['3.3', '3.8', '3.d'],
	4: ['4.7', '4.5'],
	5: ['5.5', '5.c'],
	6: ['6.b'],
	10: ['10.2', '10.3', '10.7'],
	11: ['11.3', '11.7', '11.b'],
	13: ['13.1', '13.3'],
	16: ['16.5', '16.6', '16.7', '16.10', '16.b'],
	17: ['17.9', '17.17']
};
const goals = Object.keys(targetsByGoal).map(Number);

const sv = {
	subjects: [
		'Kommunen',
		'Förvaltningen',
		'Partnerskapet',
		'Fullmäktige',
		'Distriktsrådet',
		'Regionen',
		'Projektgruppen',
		'Ungdomsrådet'
	],
	verbs: [
		'utvecklade',
		'prövade',
		'utvärderade',
		'förankrade',
		'dokumenterade',
		'breddade',
		'stärkte',
		'följde upp'
	],
	objects: {
		participation: [
			'medborgardialogen',
			'samrådet med invånarna',
			'mötesplatser för unga',
			'en rådgivande folkomröstning',
			'ett medborgarbudgetförslag',
			'dialogen med civilsamhället',
			'ungdomsrådets arbete',
			'workshoppar i byarna'
		],
		transparency: [
			'öppna nämndsmöten',
			'rutiner för insyn',
			'publiceringen av protokoll',
			'en öppen budget',
			'redovisningen av upphandlingar',
			'den lokala radions sändningar',
			'anslagstavlan på webben',
			'diarieföringen'
		],
		accountability: [
			'uppföljningen av målen',
			'arbetet med synpunkter',
			'revisionens granskning',
			'frågestunden i fullmäktige',
			'rapporteringen till invånarna',
			'oppositionens roll',
			'klagomålshanteringen',
			'den årliga rapporten'
		],
		'non-discrimination': [
			'tillgängligheten i lokalerna',
			'tolkning vid möten',
			'jämställdhetsanalysen',
			'stödet till personer med funktionsnedsättning',
			'kvinnors deltagande',
			'service på flera språk',
			'arbetet mot diskriminering',
			'likvärdig service'
		]
	},
	ends: [
		'tillsammans med partnerkommunen.',
		'under projektets andra år.',
		'med stöd av förtroendevalda från både majoritet och opposition.',
		'i flera bostadsområden.',
		'efter en studieresa.',
		'för att nå grupper som sällan hörs.',
		'med en tydlig återkoppling till deltagarna.'
	],
	titles: [
		'Dialog som förändrar',
		'Insyn i vardagen',
		'Unga tar plats',
		'Budget i öppet samråd',
		'Ansvar som går att utkräva',
		'När invånarna sätter dagordningen',
		'Från klagomål till förbättring',
		'Lokala mötesplatser',
		'Demokrati på distans',
		'Jämlik service'
	],
	places: [
		'i Ale',
		'i Hörby',
		'i Västerbotten',
		'i Kalmar län',
		'i Ghanzi',
		'i Peja',
		'i Yogyakarta',
		'i Cape Winelands'
	]
};
const en = {
	subjects: [
		'The municipality',
		'The administration',
		'The partnership',
		'The council',
		'The district council',
		'The region',
		'The project team',
		'The youth council'
	],
	verbs: [
		'developed',
		'tested',
		'evaluated',
		'anchored',
		'documented',
		'widened',
		'strengthened',
		'followed up'
	],
	objects: {
		participation: [
			'citizen dialogue',
			'consultation with residents',
			'meeting places for young people',
			'an advisory referendum',
			'a participatory budget proposal',
			'dialogue with civil society',
			'the work of the youth council',
			'workshops in the villages'
		],
		transparency: [
			'open committee meetings',
			'routines for transparency',
			'the publication of minutes',
			'an open budget',
			'reporting on procurement',
			'broadcasts on local radio',
			'the online notice board',
			'the public records'
		],
		accountability: [
			'the follow-up of objectives',
			'the handling of complaints',
			'the auditors’ review',
			'question time in the council',
			'reporting to residents',
			'the role of the opposition',
			'the complaints procedure',
			'the annual report'
		],
		'non-discrimination': [
			'accessible premises',
			'interpretation at meetings',
			'the gender analysis',
			'support for people with disabilities',
			'women’s participation',
			'services in several languages',
			'work against discrimination',
			'equal services'
		]
	},
	ends: [
		'together with the partner municipality.',
		'in the second year of the project.',
		'with support from elected members of both majority and opposition.',
		'in several neighbourhoods.',
		'after a study visit.',
		'to reach groups that are seldom heard.',
		'with clear feedback to the participants.'
	],
	titles: [
		'Dialogue that changes things',
		'Transparency in everyday work',
		'Young people take their place',
		'An open budget consultation',
		'Accountability that works',
		'When residents set the agenda',
		'From complaint to improvement',
		'Local meeting places',
		'Democracy at a distance',
		'Equal services'
	],
	places: [
		'in Ale',
		'in Hörby',
		'in Västerbotten',
		'in Kalmar County',
		'in Ghanzi',
		'in Peja',
		'in Yogyakarta',
		'in Cape Winelands'
	]
};

type Bank = typeof sv;
type Principle = keyof Bank['objects'];

/** Sentences about the article's principle, with now and then one about another principle. */
function sentence(bank: Bank, focus: Principle, pick: <T>(xs: T[]) => T, rnd: () => number): string {
	const about = rnd() < 0.85 ? focus : pick([...principleKeys]);
	return `${pick(bank.subjects)} ${pick(bank.places)} ${pick(bank.verbs)} ${pick(bank.objects[about])} ${pick(bank.ends)}`;
}

function body(bank: Bank, focus: Principle, pick: <T>(xs: T[]) => T, rnd: () => number): string {
	const paragraphs: string[] = [];
	const count = 4 + Math.floor(rnd() * 4);
	for (let p = 0; p < count; p++) {
		const sentences = Array.from({ length: 3 + Math.floor(rnd() * 3) }, () =>
			sentence(bank, focus, pick, rnd)
		);
		paragraphs.push(`<p>${sentences.join(' ')}</p>`);
		if (p === 1) paragraphs.push(`<h2>${pick(bank.titles)}</h2>`);
	}
	return paragraphs.join('\n');
}

/** `count` synthetic published articles with slugs `corpus-<n>`. */
export function* syntheticArticles(count: number, seed = 2030): Generator<ArticleInput> {
	const rnd = random(seed);
	const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
	const start = Date.UTC(2012, 0, 1);
	const span = Date.UTC(2026, 0, 1) - start;
	for (let i = 1; i <= count; i++) {
		const principle = pick([...principleKeys]);
		const themes = [principle, ...(rnd() < 0.6 ? [pick(topics)] : [])];
		const mainGoal = rnd() < 0.7 ? 16 : pick(goals);
		const chosenGoals = [...new Set([mainGoal, ...(rnd() < 0.5 ? [pick(goals)] : [])])];
		const targets = [...new Set(chosenGoals.map((g) => pick(targetsByGoal[g]!)))];
		const titleIndex = Math.floor(rnd() * sv.titles.length);
		const place = Math.floor(rnd() * sv.places.length);
		yield {
			slug: `corpus-${i}`,
			kind: pick([...articleKinds]),
			status: 'published',
			publishedAt: new Date(start + Math.floor(rnd() * span)),
			themes,
			goals: chosenGoals,
			targets,
			countries: ['SE', pick(countries)],
			organizationIds: [],
			partnershipId: null,
			translations: {
				sv: {
					title: `${sv.titles[titleIndex]} ${sv.places[place]} (${i})`,
					teaser: sentence(sv, principle, pick, rnd),
					body: body(sv, principle, pick, rnd)
				},
				en: {
					title: `${en.titles[titleIndex]} ${en.places[place]} (${i})`,
					teaser: sentence(en, principle, pick, rnd),
					body: body(en, principle, pick, rnd)
				}
			}
		};
	}
}
