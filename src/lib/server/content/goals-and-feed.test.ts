import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { getGoal as goal, listGoals as goals } from '../taxonomy/goals.ts';
import { articleAddresses, inspirationCounts, latestArticles } from './queries.ts';
import { atomFeed } from './feed.ts';

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
		// Swedish target texts fall back to English, and say so.
		expect(g!.targets[6]).toMatchObject({ code: '16.7', lang: 'en' });
		expect(g!.targets[6]!.text).toMatch(/^Ensure responsive, inclusive/);
		expect(g!.targets[6]!.count).toBeGreaterThan(0);
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
});
