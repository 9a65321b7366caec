import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { markedSnippet, plainSnippet, queryLexemes, searchArticles } from './search.ts';
import { readQuery } from '../kernel/input.ts';
import { findInspiration as find } from './listing.ts';
import { inspirationQuery } from './input.ts';
import { saveArticle } from './import.ts';

/** The listing as its page asks for it: the address read, then the list. */
const findInspiration = (db: DatabaseHandle['db'], locale: string, params: URLSearchParams) =>
	Promise.resolve()
		.then(() => readQuery(params, inspirationQuery, 'content'))
		.then(async (filter) => ({ result: await find(db, locale, filter) }));

describe.each(testDatabases)('search and listing on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('finds Swedish inflections through stemming, best match first, with highlighted snippets', async () => {
		const r = await searchArticles(h.db, 'sv', 'medborgardialogen');
		expect(r.mode).toBe('exact');
		expect(r.total).toBeGreaterThanOrEqual(5);
		expect(r.hits[0]!.snippet).toMatch(/<mark>medborgardialog/i);
		const dengue = await searchArticles(h.db, 'sv', 'denguefeber utbrott');
		expect(dengue.hits[0]!.slug).toBe('medborgardialog-som-raddar-liv');
	});

	it('searches English texts with the English stemmer, and only the page language', async () => {
		const en = await searchArticles(h.db, 'en', 'outbreaks');
		expect(en.hits.map((x) => x.slug)).toContain('medborgardialog-som-raddar-liv');
		// A Swedish-only word finds nothing in English.
		const none = await searchArticles(h.db, 'en', 'medborgardialogen');
		// The English texts say "citizen dialogue": no exact English match for the Swedish word.
		expect(none.mode === 'exact' ? none.total : 0).toBe(0);
	});

	it('falls back to similar words when a typo finds nothing', async () => {
		const r = await searchArticles(h.db, 'sv', 'medborgardialg');
		expect(r.mode).toBe('similar');
		expect(r.hits.length).toBeGreaterThan(0);
		const nothing = await searchArticles(h.db, 'sv', 'xyzzyqwv');
		expect(nothing.hits).toEqual([]);
	});

	it('treats quotes, operators and SQL as text', async () => {
		for (const q of [
			`"citizen dialogue"`,
			`dialog & !( | :*`,
			`'; drop table article; --`,
			'nul\u0000byte',
			'<script>'
		]) {
			const r = await searchArticles(h.db, 'en', q);
			expect(r.hits.every((x) => !x.snippet.includes('<script>'))).toBe(true);
		}
		const phrase = await searchArticles(h.db, 'en', '"citizen dialogue"');
		expect(phrase.total).toBeGreaterThan(0);
	});

	it('refuses an unknown theme or target with a message rather than an empty list', async () => {
		await expect(findInspiration(h.db, 'sv', new URLSearchParams('theme=cooking'))).rejects.toThrow(
			ValidationError
		);
		await expect(findInspiration(h.db, 'sv', new URLSearchParams('sdg=16.99'))).rejects.toThrow(
			ValidationError
		);
		const ok = await findInspiration(h.db, 'sv', new URLSearchParams('sdg=16.10'));
		expect(ok.result.total).toBeGreaterThanOrEqual(0);
	});

	it('answers any generated query with a result or a ValidationError, never a database error', async () => {
		const value = fc.oneof(
			fc.string({ maxLength: 60 }),
			fc.constantFrom(
				'16',
				'16.7',
				'3.d',
				'participation',
				'XK',
				'"',
				"'",
				'&',
				'!',
				':*',
				'\\',
				'%',
				'1e9',
				'-1'
			)
		);
		const key = fc.constantFrom('theme', 'kind', 'sdg', 'country', 'q', 'page');
		await fc.assert(
			fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), async (pairs) => {
				try {
					const { result } = await findInspiration(h.db, 'sv', new URLSearchParams(pairs));
					expect(result.items.length).toBeLessThanOrEqual(20);
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			}),
			{ numRuns: 150 }
		);
		await fc.assert(
			fc.asyncProperty(fc.string({ maxLength: 120, unit: 'binary' }), async (q) => {
				await searchArticles(h.db, 'sv', q);
			}),
			{ numRuns: 150 }
		);
	});

	it('shows a newly published article at once and keeps drafts out', async () => {
		const base = {
			kind: 'news' as const,
			themes: ['transparency'],
			goals: [],
			targets: ['16.10'],
			countries: ['se'],
			organizationIds: [],
			partnershipId: null,
			translations: {
				sv: {
					title: 'Öppna protokoll i fullmäktige',
					teaser: 'Ett test.',
					body: '<p>Öppenhet<script>x()</script></p>'
				}
			}
		};
		await saveArticle(h.db, { ...base, slug: 'utkast-test', status: 'draft', publishedAt: null });
		await saveArticle(h.db, {
			...base,
			slug: 'publicerad-test',
			status: 'published',
			publishedAt: new Date()
		});
		const { result } = await findInspiration(h.db, 'sv', new URLSearchParams('sdg=16.10'));
		const slugs = result.items.map((a) => a.slug);
		expect(slugs).toContain('publicerad-test');
		expect(slugs).not.toContain('utkast-test');
		// The target implied its goal, and the country was normalised.
		const byGoal = await findInspiration(h.db, 'sv', new URLSearchParams('sdg=16&country=SE&q=protokoll'));
		expect(byGoal.result.items.map((a) => a.slug)).toEqual(['publicerad-test']);
		const found = await searchArticles(h.db, 'sv', 'öppenhet');
		expect(found.hits.map((x) => x.slug)).toContain('publicerad-test');
		expect(found.hits.find((x) => x.slug === 'publicerad-test')!.snippet).not.toContain('x()');
		await expect(
			saveArticle(h.db, {
				...base,
				slug: 'fel',
				status: 'published',
				publishedAt: new Date(),
				targets: ['16.99']
			})
		).rejects.toThrow(ValidationError);
	});
});

describe('search snippets', () => {
	it('highlights search snippets without letting stored text become markup', () => {
		const text = 'a <b> &amp; \uE000ord\uE001 </mark>';
		const tokens: [number, string, string[] | null][] = [
			[1, 'a', ['a']],
			[12, ' <', null],
			[1, 'b', ['b']],
			[12, '> ', null],
			[23, '&amp;', null],
			[12, ' \uE000', null],
			[1, 'ord', ['ord']],
			[12, '\uE001 ', null],
			[13, '</mark>', null]
		];
		expect(markedSnippet({ text, tokens }, new Set(['ord']))).toBe(
			'a &lt;b&gt; &amp; \uE000<mark>ord</mark>\uE001 &lt;/mark&gt;'
		);
		expect(plainSnippet('&lt;script&gt;')).toBe('&lt;script&gt;');
		// Tokens that do not add up to the passage: the passage without marks.
		expect(markedSnippet({ text: 'ord <i>', tokens: [[1, 'ord', ['ord']]] }, new Set(['ord']))).toBe(
			'ord &lt;i&gt;'
		);
		expect(queryLexemes("'medborgardialog' & 'o''neil' <-> 'rädd':*")).toEqual(
			new Set(['medborgardialog', "o'neil", 'rädd'])
		);
	});
});

describe.each(testDatabases)('search snippets of stored text on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('marks only the matched words, whatever private-use characters the text holds', async () => {
		await saveArticle(h.db, {
			kind: 'news',
			themes: ['transparency'],
			goals: [],
			targets: [],
			countries: [],
			organizationIds: [],
			partnershipId: null,
			slug: 'privata-tecken',
			status: 'published',
			publishedAt: new Date(),
			translations: {
				sv: {
					title: 'Tecken i texten',
					teaser: 'Ett test.',
					body: '<p>Före \uE001 kommunerna \uE000 och \uE000\uE000 efter e-demokrati &amp; <b>mer</b> \uE001\uE001</p>'
				}
			}
		});
		const r = await searchArticles(h.db, 'sv', 'kommun e-demokrati');
		const hit = r.hits.find((x) => x.slug === 'privata-tecken')!;
		expect(hit.snippet).toContain('<mark>kommunerna</mark>');
		expect(hit.snippet).toContain('<mark>e</mark>-<mark>demokrati</mark>');
		// The stored characters are text, and every mark that opens closes.
		expect(hit.snippet).toContain('\uE001 <mark>kommunerna</mark> \uE000');
		expect(hit.snippet.match(/<mark>/g)).toHaveLength(3);
		expect(hit.snippet.match(/<\/mark>/g)).toHaveLength(3);
		expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
		expect(hit.snippet).toMatch(/^([^<]|<mark>[^<]*<\/mark>)*$/);
	});
});
