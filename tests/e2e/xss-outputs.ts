import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { baseUrl } from './browser.ts';
import { inspect, proseProblems, squash } from './xss-pages.ts';
import { langs, type Lang, type StoredFields } from './xss-store.ts';

/**
 * The XSS journey's checks of what leaves the site as data (xss.spec.ts): the Atom feeds must stay
 * well-formed XML with the stored values as text, the JSON API must carry them as plain strings,
 * and the CSV exports (made for Excel) must start no cell with a formula.
 */

/** A stored article as the outputs must show it. */
export interface StoredArticle {
	slug: string;
	title: Record<Lang, string>;
	teaser: Record<Lang, string>;
	/** The markers around its rich-text vectors, per language. */
	markers: Record<Lang, string[]>;
}

const prefix = (lang: Lang) => (lang === 'en' ? '/en' : '');

/** `actual` is a string showing `expected` (white space and dropped control characters aside). */
function same(problems: string[], where: string, actual: unknown, expected: string) {
	if (typeof actual !== 'string') problems.push(`${where}: not a string but ${JSON.stringify(actual)}`);
	else if (squash(actual) !== squash(expected))
		problems.push(
			`${where}: ${JSON.stringify(actual.slice(0, 200))} instead of ${JSON.stringify(expected.slice(0, 200))}`
		);
}

/** `list` holds a string showing `expected`. */
function among(problems: string[], where: string, list: unknown[], expected: string) {
	if (!list.some((v) => typeof v === 'string' && squash(v) === squash(expected)))
		problems.push(
			`${where}: no ${JSON.stringify(expected.slice(0, 120))} among ${JSON.stringify(list).slice(0, 300)}`
		);
}

async function json(problems: string[], path: string): Promise<Record<string, any> | null> {
	const res = await fetch(baseUrl() + path);
	const text = await res.text();
	if (res.status !== 200) problems.push(`${path}: status ${res.status}`);
	if (!/^application\/json/.test(res.headers.get('content-type') ?? ''))
		problems.push(`${path}: content-type ${res.headers.get('content-type')}`);
	// A browser that sniffed JSON as HTML would render the stored text as markup.
	if (res.headers.get('x-content-type-options') !== 'nosniff') problems.push(`${path}: no nosniff`);
	try {
		return JSON.parse(text);
	} catch (error) {
		problems.push(`${path}: not JSON (${(error as Error).message}): ${text.slice(0, 200)}`);
		return null;
	}
}

/** Rich text that the API answers with, checked against the allowlist in an inert parsed copy. */
async function richTextProblems(
	parser: Page,
	where: string,
	html: unknown,
	markers: string[]
): Promise<string[]> {
	if (typeof html !== 'string') return [`${where}: not a string`];
	const found = await parser.evaluate(inspect, {
		html,
		prose: '.prose',
		expected: markers,
		listenerPort: -1,
		appOrigin: new URL(baseUrl()).origin
	});
	return [
		...proseProblems(found.prose!).map((p) => `${where}: ${p}`),
		...found.missing.map((m) => `${where}: the text ${m} is missing`)
	];
}

/** The JSON API: every stored value comes back as the same plain string. */
export async function jsonProblems(
	parser: Page,
	stored: StoredFields,
	articles: StoredArticle[],
	partnershipMarkers: Record<Lang, string[]>
): Promise<string[]> {
	const problems: string[] = [];
	const [topic1, topic2] = stored.topics;
	for (const lang of langs) {
		const list = await json(problems, `/api/v1/articles?lang=${lang}&theme=${topic1!.key}&per_page=100`);
		for (const a of articles) {
			const item = list?.items?.find((i: { slug: string }) => i.slug === a.slug);
			if (!item) problems.push(`/api/v1/articles (${lang}): no ${a.slug}`);
			else {
				same(problems, `/api/v1/articles ${a.slug} title (${lang})`, item.title, a.title[lang]);
				same(problems, `/api/v1/articles ${a.slug} teaser (${lang})`, item.teaser, a.teaser[lang]);
			}
			const path = `/api/v1/articles/${a.slug}?lang=${lang}`;
			const one = await json(problems, path);
			if (!one) continue;
			same(problems, `${path} title`, one.title, a.title[lang]);
			same(problems, `${path} teaser`, one.teaser, a.teaser[lang]);
			for (const t of [topic1!, topic2!])
				same(problems, `${path} themeNames`, one.themeNames?.[t.key], t.name[lang]);
			const names = (one.organizations ?? []).map((o: { name: unknown }) => o.name);
			for (const o of [...stored.organizations.map((o) => o.name), stored.renamed.name])
				among(problems, `${path} organizations`, names, o[lang]);
			same(
				problems,
				`${path} partnership.summary`,
				one.partnership?.summary,
				stored.partnership.summary[lang]
			);
			among(
				problems,
				`${path} partnership.members`,
				one.partnership?.members ?? [],
				stored.renamed.name[lang]
			);
			problems.push(...(await richTextProblems(parser, `${path} body`, one.body, a.markers[lang])));
		}

		const p = stored.partnership;
		const path = `/api/v1/partnerships/${p.slug}?lang=${lang}`;
		const one = await json(problems, path);
		if (one) {
			same(problems, `${path} summary`, one.summary, p.summary[lang]);
			among(
				problems,
				`${path} international`,
				(one.international ?? []).map((o: any) => o.name),
				stored.renamed.name[lang]
			);
			for (const person of p.team) {
				among(
					problems,
					`${path} team names`,
					(one.team ?? []).map((t: any) => t.name),
					person.name
				);
				among(
					problems,
					`${path} team titles`,
					(one.team ?? []).map((t: any) => t.title),
					person.title[lang]
				);
			}
			among(
				problems,
				`${path} documents`,
				(one.documents ?? []).map((d: any) => d.title),
				p.document.title[lang]
			);
			for (const a of articles)
				among(
					problems,
					`${path} inspiration`,
					(one.inspiration ?? []).map((i: any) => i.title),
					a.title[lang]
				);
			problems.push(
				...(await richTextProblems(parser, `${path} description`, one.description, partnershipMarkers[lang]))
			);
		}
		const all = await json(problems, `/api/v1/partnerships?lang=${lang}&per_page=100`);
		const item = all?.items?.find((i: { slug: string }) => i.slug === p.slug);
		if (!item) problems.push(`/api/v1/partnerships (${lang}): no ${p.slug}`);
		else {
			same(problems, `/api/v1/partnerships summary (${lang})`, item.summary, p.summary[lang]);
			among(
				problems,
				`/api/v1/partnerships international (${lang})`,
				item.international.map((o: any) => o.name),
				stored.renamed.name[lang]
			);
		}
		for (const o of [...stored.organizations, { ...stored.renamed, country: 'ID' }]) {
			const orgs = await json(
				problems,
				`/api/v1/organizations?lang=${lang}&country=${o.country}&per_page=100`
			);
			const found = orgs?.items?.find((i: { slug: string }) => i.slug === o.slug);
			if (!found) problems.push(`/api/v1/organizations (${lang}): no ${o.slug}`);
			else same(problems, `/api/v1/organizations ${o.slug} name (${lang})`, found.name, o.name[lang]);
		}
	}
	return problems;
}

const atom = 'http://www.w3.org/2005/Atom';
const atomElements = [
	'feed',
	'title',
	'link',
	'id',
	'updated',
	'author',
	'name',
	'entry',
	'published',
	'summary',
	'category'
];

/** A feed as Chromium's XML parser reads it. */
interface ParsedFeed {
	error: string | null;
	root: string;
	/** Elements that are not Atom's: markup that text put into the feed. */
	foreign: string[];
	title: string;
	entries: { title: string; summary: string; link: string; categories: string[] }[];
}

/** A feed as Chromium's XML parser reads it (an inert document: nothing in it runs). */
export function parseFeed(parser: Page, xml: string): Promise<ParsedFeed> {
	return parser.evaluate(
		({ xml, atom, atomElements }) => {
			const doc = new DOMParser().parseFromString(xml, 'application/xml');
			const error = doc.getElementsByTagName('parsererror')[0];
			const text = (el: Element | null | undefined) => el?.textContent ?? '';
			const child = (el: Element, name: string) => [...el.children].find((c) => c.localName === name);
			const root = doc.documentElement;
			return {
				error: error ? (error.textContent ?? 'parsererror').slice(0, 300) : null,
				root: `${root.namespaceURI} ${root.localName}`,
				foreign: [...doc.getElementsByTagName('*')]
					.filter((el) => el.localName !== 'parsererror')
					.filter((el) => el.namespaceURI !== atom || !atomElements.includes(el.localName))
					.map((el) => `${el.namespaceURI} ${el.localName}`),
				title: text(child(root, 'title')),
				entries: [...root.children]
					.filter((el) => el.localName === 'entry')
					.map((entry) => ({
						title: text(child(entry, 'title')),
						summary: text(child(entry, 'summary')),
						link: child(entry, 'link')?.getAttribute('href') ?? '',
						categories: [...entry.children]
							.filter((c) => c.localName === 'category')
							.map((c) => c.getAttribute('label') ?? '')
					}))
			};
		},
		{ xml, atom, atomElements }
	);
}

/** The Atom feeds: well-formed XML, only Atom's elements, the stored values as their text. */
export async function feedProblems(
	parser: Page,
	stored: StoredFields,
	articles: StoredArticle[]
): Promise<string[]> {
	const problems: string[] = [];
	const feeds = langs.flatMap((lang) => [
		{ lang, path: `${prefix(lang)}/feed.xml`, topic: null },
		...stored.topics.map((topic) => ({ lang, path: `${prefix(lang)}/feed.xml?theme=${topic.key}`, topic }))
	]);
	for (const { lang, path, topic } of feeds) {
		const res = await fetch(baseUrl() + path);
		const xml = await res.text();
		if (res.status !== 200) problems.push(`${path}: status ${res.status}`);
		if (!/^application\/atom\+xml/.test(res.headers.get('content-type') ?? ''))
			problems.push(`${path}: content-type ${res.headers.get('content-type')}`);
		const feed = await parseFeed(parser, xml);
		if (feed.error) {
			problems.push(`${path}: not well-formed XML: ${feed.error}`);
			continue;
		}
		if (feed.root !== `${atom} feed`) problems.push(`${path}: the root is ${feed.root}`);
		for (const f of new Set(feed.foreign)) problems.push(`${path}: an element that is not Atom's: ${f}`);
		if (topic && !squash(feed.title).includes(squash(topic.name[lang])))
			problems.push(`${path}: the title ${JSON.stringify(feed.title)} lacks the topic's name`);
		// Only the journey's articles carry its topics: a topic's feed has exactly them.
		if (topic && feed.entries.length !== articles.length)
			problems.push(`${path}: ${feed.entries.length} entries for ${articles.length} articles`);
		for (const a of articles) {
			const entries = feed.entries.filter((e) => e.link.endsWith(`/inspiration/${a.slug}`));
			if (entries.length !== 1) {
				problems.push(`${path}: ${entries.length} entries for ${a.slug}`);
				continue;
			}
			const entry = entries[0]!;
			if (!squash(entry.title).includes(squash(a.title[lang])))
				problems.push(`${path} ${a.slug}: the title ${JSON.stringify(entry.title.slice(0, 200))}`);
			same(problems, `${path} ${a.slug} summary`, entry.summary, a.teaser[lang]);
			for (const t of stored.topics)
				among(problems, `${path} ${a.slug} categories`, entry.categories, t.name[lang]);
		}
	}
	return problems;
}

/** RFC 4180 CSV (quoted fields, CRLF between records), as Excel reads it. */
export function parseCsv(text: string): string[][] {
	return parse(text, { relax_column_count: true });
}

/**
 * A cell a spreadsheet would run as a formula: OWASP's list, and its full-width forms (which some
 * spreadsheets read alike). Numbers the writer emits as numbers (a coordinate of -7.8) are numbers.
 */
const formula = (cell: string) => /^[=+\-@\t\r＝＋－＠]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);
/** A cell as the text it stands for: the writer's neutralising apostrophe taken off. */
const unprefixed = (cell: string) => (/^'[=+\-@\t\r＝＋－＠]/.test(cell) ? cell.slice(1) : cell);

/** A CSV answer's rows, and each cell in it that a spreadsheet would run as a formula. */
export function readCsv(
	path: string,
	text: string
): { header: string[]; records: string[][]; formulas: string[] } {
	const [header = [], ...records] = parseCsv(text.replace(/^\uFEFF/, ''));
	const formulas = records.flatMap((record, r) =>
		record.flatMap((cell, c) =>
			formula(cell)
				? [
						`${path}: row ${r + 2}, ${header[c]}: a cell starts with ${JSON.stringify(cell[0])}: ${JSON.stringify(cell.slice(0, 80))}`
					]
				: []
		)
	);
	return { header, records, formulas };
}

/** The CSV exports: no cell starts a formula, and the stored values are there (neutralised). */
export async function csvProblems(stored: StoredFields): Promise<string[]> {
	const problems: string[] = [];
	for (const lang of langs) {
		const exports: { path: string; rows: { slug: string; column: string; value: string }[] }[] = [
			{
				path: `/api/v1/partnerships?format=csv&lang=${lang}`,
				rows: [
					{ slug: stored.partnership.slug, column: 'summary', value: stored.partnership.summary[lang] },
					{ slug: stored.partnership.slug, column: 'international', value: stored.renamed.name[lang] }
				]
			},
			{
				path: `/api/v1/organizations?format=csv&lang=${lang}`,
				rows: [...stored.organizations, stored.renamed].map((o) => ({
					slug: o.slug,
					column: 'name',
					value: o.name[lang]
				}))
			}
		];
		for (const { path, rows } of exports) {
			const res = await fetch(baseUrl() + path);
			if (res.status !== 200) problems.push(`${path}: status ${res.status}`);
			const { header, records, formulas } = readCsv(path, await res.text());
			problems.push(...formulas);
			for (const { slug, column, value } of rows) {
				const record = records.find((rec) => rec[header.indexOf('slug')] === slug);
				const cell = record?.[header.indexOf(column)];
				if (cell === undefined) problems.push(`${path}: no ${column} for ${slug}`);
				else if (!squash(unprefixed(cell)).startsWith(squash(value)))
					problems.push(
						`${path}: ${slug}'s ${column} is ${JSON.stringify(cell.slice(0, 120))}, not ${JSON.stringify(value.slice(0, 120))}`
					);
			}
		}
	}
	return problems;
}
