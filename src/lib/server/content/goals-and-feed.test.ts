import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { getGoal as goal, listGoals as goals } from '../taxonomy/goals.ts';
import { articleAddresses, getArticle, latestArticles } from './queries.ts';
import { inspirationCounts } from './facets.ts';
import {
	articleJson,
	articleListJson,
	articleView,
	articleListView,
	atomFeed,
	goalDetailView,
	goalJson,
	goalListJson,
	goalListView
} from './views.ts';

// The goal pages and the API show each goal and target with its number of published articles.
const listGoals = async (db: DatabaseHandle['db'], locale: string) =>
	goals(db, locale, await inspirationCounts(db, locale));
const getGoal = async (db: DatabaseHandle['db'], locale: string, n: number) =>
	goal(db, locale, n, await inspirationCounts(db, locale));

describe.each(testDatabases)('goals, sitemap and feed data on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('lists the 17 goals with official colours, names in both languages and article counts', async () => {
		const sv = await listGoals(h.db, 'sv');
		expect(sv.map((g) => g.number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
		expect(sv[6]).toMatchObject({ number: 7, colour: '#FCC30B', shortName: 'Hållbar energi för alla' });
		const en = await listGoals(h.db, 'en');
		expect(en[15]!.shortName).toBe('Peace, justice and strong institutions');
		// Every demo article is tagged with goal 16 (through 16.7 and others).
		expect(en[15]!.count).toBe(8);
		expect(en[13]!.count).toBe(0);
	});

	it('gives a goal with its targets in order, lettered ones last, and counts per target', async () => {
		const g = await getGoal(h.db, 'sv', 16);
		expect(g!.targets.map((t) => t.code)).toEqual([
			'16.1',
			'16.2',
			'16.3',
			'16.4',
			'16.5',
			'16.6',
			'16.7',
			'16.8',
			'16.9',
			'16.10',
			'16.a',
			'16.b'
		]);
		// Swedish on Swedish pages: the platform's own short titles and texts (data/sdg/platform-wording.json).
		expect(g!.targets[6]).toMatchObject({ code: '16.7', lang: 'sv' });
		expect(g!.targets[6]!.title).toMatch(/beslut/i);
		expect(g!.targets[6]!.text).not.toMatch(/^Ensure/);
		expect(g!.targets[6]!.count).toBeGreaterThan(0);
		expect(g!.titleLang).toBe('sv');
		// The English page has the UN's text and an English title.
		const en = await getGoal(h.db, 'en', 16);
		expect(en!.targets[6]).toMatchObject({ code: '16.7', lang: 'en' });
		expect(en!.targets[6]!.text).toMatch(/^Ensure responsive, inclusive/);
		expect(en!.targets[6]!.title).toMatch(/decision/i);
		// Every target of every goal has a title and a text in both languages, and a title is short.
		for (const locale of ['sv', 'en']) {
			for (let n = 1; n <= 17; n++) {
				for (const t of (await getGoal(h.db, locale, n))!.targets) {
					expect(t.lang, `${locale} ${t.code}`).toBe(locale);
					expect(t.title.length, `${locale} ${t.code}`).toBeGreaterThan(3);
					expect(t.title.length, `${locale} ${t.code}`).toBeLessThanOrEqual(60);
					expect(t.text.length, `${locale} ${t.code}`).toBeGreaterThanOrEqual(t.title.length);
				}
			}
		}
		expect(await getGoal(h.db, 'sv', 18)).toBeNull();
	});

	it('lists every published article with its languages for the sitemap', async () => {
		const addresses = await articleAddresses(h.db);
		expect(addresses).toHaveLength(8);
		expect(addresses.every((a) => a.languages.includes('sv') && a.languages.includes('en'))).toBe(true);
	});

	it('builds an Atom feed per language and theme, escaping what it quotes', async () => {
		const articles = await latestArticles(h.db, 'en', 50, 'accountability');
		expect(articles.length).toBeGreaterThan(0);
		expect(articles.every((a) => a.themes.some((t) => t.key === 'accountability'))).toBe(true);
		const xml = atomFeed(
			'https://example.org',
			'en',
			articles,
			'/en/feed.xml?theme=accountability',
			'Accountability'
		);
		expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
		expect(xml).toContain('<title>Accountability – Partnerships for local democracy</title>');
		expect(xml).toContain('<link rel="self" href="https://example.org/en/feed.xml?theme=accountability"/>');
		expect(xml.match(/<entry>/g)).toHaveLength(articles.length);
		const tricky = atomFeed(
			'https://example.org',
			'sv',
			[{ ...articles[0]!, title: 'A & B <script>' }],
			'/feed.xml'
		);
		expect(tricky).toContain('A &amp; B &lt;script&gt;');
	});
	it('answers the API in exactly the shapes its schemas describe (the OpenAPI document’s source)', async () => {
		const origin = 'https://example.org';
		const article = await getArticle(h.db, 'en', 'medborgardialog-som-raddar-liv');
		const one = articleJson(origin, 'en', article!);
		expect(articleView.parse(one)).toEqual(one);
		// The keys come in the order the API has always given them.
		expect(Object.keys(one)).toEqual([
			'slug',
			'title',
			'teaser',
			'kind',
			'themes',
			'goals',
			'targets',
			'countries',
			'publishedAt',
			'url',
			'lang',
			'body',
			'updatedAt',
			'languages',
			'themeNames',
			'organizations',
			'partnership',
			'related'
		]);
		const list = articleListJson(origin, 'sv', {
			items: await latestArticles(h.db, 'sv', 3),
			total: 8,
			page: 1,
			perPage: 3
		});
		expect(articleListView.parse(list)).toEqual(list);
		const goals = goalListJson(origin, await listGoals(h.db, 'sv'));
		expect(goalListView.parse(goals)).toEqual(goals);
		expect(goals.items[15]!.url).toBe('https://example.org/api/v1/goals/16');
		const goal = goalJson((await getGoal(h.db, 'en', 16))!);
		expect(goalDetailView.parse(goal)).toEqual(goal);
	});
});
