import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { latestArticles, type ArticleCard } from './queries.ts';
import { saveArticle } from './import.ts';
import { atomFeed } from './views.ts';

// XML 1.0's production `Char`: a document with any other character is not well-formed, and a
// feed reader refuses the whole feed.
const xmlChar = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** The elements' text as a reader gets it back (the feed's own five entities). */
const unescape = (s: string) =>
	s.replace(
		/&(lt|gt|amp|apos|quot);/g,
		(_e, n: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[n]!
	);

const card = (title: string, teaser = 'Ingress.', theme = 'Delaktighet'): ArticleCard => ({
	slug: 'en-artikel',
	kind: 'news',
	title,
	teaser,
	publishedAt: '2026-11-30T10:00:00.000Z',
	themes: [{ key: 'participation', name: theme }],
	goals: [],
	targets: [],
	countries: [],
	image: null
});

describe('the Atom feed', () => {
	it('leaves out what XML forbids, and keeps the rest of the text', () => {
		const feed = atomFeed(
			'https://example.se',
			'sv',
			[
				card(
					'Rubrik\u0000 med\u0001 klocka\u0007, escape\u001b och \uFFFE\uFFFF<b>',
					'Lone \uD800 surrogate\u000b'
				)
			],
			'/feed.xml',
			'Tema\u0008'
		);
		expect(feed).toMatch(xmlChar);
		expect(unescape(/<entry>\s*<title>([^<]*)<\/title>/.exec(feed)![1]!)).toBe(
			'Delaktighet – Rubrik med klocka, escape och <b>'
		);
		expect(feed).toContain('<summary>Lone  surrogate</summary>');
		expect(feed).toContain('Tema');
	});

	it('is well-formed XML whatever the titles hold', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: 'binary', maxLength: 40 }),
				fc.string({ unit: 'binary', maxLength: 40 }),
				(title, teaser) => {
					expect(atomFeed('https://example.se', 'en', [card(title, teaser)], '/en/feed.xml')).toMatch(
						xmlChar
					);
				}
			),
			{ numRuns: 300 }
		);
	});
});

describe.each(testDatabases)('the feed of stored articles on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('stays well-formed with characters XML forbids in a stored title and teaser', async () => {
		await saveArticle(h.db, {
			kind: 'news',
			themes: ['participation'],
			goals: [],
			targets: [],
			countries: [],
			organizationIds: [],
			partnershipId: null,
			slug: 'flode-med-tecken',
			status: 'published',
			publishedAt: new Date(),
			translations: {
				sv: {
					title: 'Flödet \uFFFE håller\uFFFF',
					teaser: 'Ingress\u0001 med \u0002tecken',
					body: '<p>Text</p>'
				}
			}
		});
		const articles = await latestArticles(h.db, 'sv', 50);
		expect(articles.map((a) => a.slug)).toContain('flode-med-tecken');
		const feed = atomFeed('https://example.se', 'sv', articles, '/feed.xml');
		expect(feed).toMatch(xmlChar);
		expect(feed).toContain('Flödet  håller');
	});
});
