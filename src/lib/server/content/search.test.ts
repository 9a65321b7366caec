import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { markedSnippet, newMarkers, plainSnippet, searchArticles } from './search.ts';
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
		expect(r.total).toBeGreaterThanOrEqual(5);
		expect(r.hits[0]!.snippet).toMatch(/<mark>medborgardialog/i);
		const dengue = await searchArticles(h.db, 'sv', 'denguefeber utbrott');
		expect(dengue.hits[0]!.slug).toBe('medborgardialog-som-raddar-liv');
	});

	it('searches English texts with the English stemmer, the page language first', async () => {
		const en = await searchArticles(h.db, 'en', 'outbreaks');
		expect(en.lang).toBe('en');
		expect(en.hits.map((x) => x.slug)).toContain('medborgardialog-som-raddar-liv');
		// The English texts say "citizen dialogue": no English match for the Swedish word, so the
		// Swedish texts are searched with the Swedish stemmer, and the result says so.
		const swedish = await searchArticles(h.db, 'en', 'medborgardialogen');
		expect(swedish).toMatchObject({ lang: 'sv' });
		expect(swedish.hits[0]!.snippet).toMatch(/<mark>medborgardialog/i);
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
		const markers = newMarkers();
		const { open, close } = markers;
		// Markers of another search, look-alikes and tags in the stored text stay text.
		const other = newMarkers();
		expect(other.open).not.toBe(open);
		const text = `a <b> &amp; ${other.open}x${other.close} S${open.slice(1, 8)} ${open}ord${close} </mark>`;
		expect(markedSnippet(text, markers)).toBe(
			`a &lt;b&gt; &amp; ${other.open}x${other.close} S${open.slice(1, 8)} <mark>ord</mark> &lt;/mark&gt;`
		);
		expect(plainSnippet('&lt;script&gt;')).toBe('&lt;script&gt;');
		// A marker that opens and never closes marks nothing, and is not shown.
		expect(markedSnippet(`ord ${open}<i>`, markers)).toBe('ord &lt;i&gt;');
		expect(markedSnippet(null, markers)).toBe('');
	});
});

describe.each(testDatabases)('search snippets of stored text on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());
	/** A Swedish article titled "Ett test", published now unless given a time or null (a draft). */
	const article = (slug: string, teaser: string, body: string, publishedAt: Date | null = new Date()) =>
		saveArticle(h.db, {
			kind: 'news',
			themes: ['transparency'],
			goals: [],
			targets: [],
			countries: [],
			organizationIds: [],
			partnershipId: null,
			slug,
			status: publishedAt ? 'published' : 'draft',
			publishedAt,
			translations: { sv: { title: 'Ett test', teaser, body } }
		});

	it('ranks a teaser match first, then body matches newest first, each with its passage marked', async () => {
		await article(
			'i-ingressen',
			'Kommunen byggde ett nytt vattenverk för "alla" & ingen annan.',
			'<p>Inget mer.</p>'
		);
		// Saved first, published a year earlier: found after the newer one all the same.
		await article(
			'i-texten-i-fjol',
			'Ännu något annat.',
			'<p>Ett äldre vattenverk.</p>',
			new Date(Date.now() - 365 * 24 * 3600 * 1000)
		);
		await article(
			'i-texten',
			'Något annat.',
			`<p>${'Ord '.repeat(40)}</p><p>Ett <b>vattenverk</b> till.</p>`
		);
		const r = await searchArticles(h.db, 'sv', 'vattenverk');
		const slugs = r.hits.map((x) => x.slug);
		// A match in the teaser ranks before those in the body only, and among those the newest
		// comes first; the teaser's match shows its whole teaser.
		expect(slugs.filter((s) => s.startsWith('i-'))).toEqual(['i-ingressen', 'i-texten', 'i-texten-i-fjol']);
		const snippet = (slug: string) => r.hits.find((x) => x.slug === slug)!.snippet;
		expect(snippet('i-ingressen')).toBe(
			'Kommunen byggde ett nytt <mark>vattenverk</mark> för &quot;alla&quot; &amp; ingen annan.'
		);
		expect(snippet('i-texten')).toMatch(/<mark>vattenverk<\/mark>\s+till/);
		expect(snippet('i-texten')).not.toMatch(/<(?!\/?mark>)/);

		// A page at a time (one a page): the same order across the teaser's matches and the body's.
		expect(r.hits).toHaveLength(r.total);
		const onePage = (page: number) => searchArticles(h.db, 'sv', 'vattenverk', page, 1);
		const pages = await Promise.all(slugs.map((_, i) => onePage(i + 1)));
		expect(pages.map((p) => p.hits.map((x) => x.slug))).toEqual(slugs.map((slug) => [slug]));
		expect(pages.map((p) => [p.total, p.pages])).toEqual(slugs.map(() => [r.total, r.total]));
		expect((await onePage(r.total + 1)).hits).toEqual([]);
	});

	it('counts a common word only so far when asked, with the same page as a full count', async () => {
		// Four teaser matches (one says it three times, one twice: they rank first), four in the
		// body only, and a draft that must never be counted or shown.
		await article('cykel-a', 'Ett cykelbibliotek öppnade.', '<p>Mer.</p>');
		await article('cykel-b', 'Cykelbibliotek och ännu ett cykelbibliotek.', '<p>Mer.</p>');
		await article('cykel-d', 'Cykelbibliotek, cykelbibliotek, cykelbibliotek.', '<p>Med cyklar.</p>');
		await article('cykel-c', 'Biblioteket lånar ut cyklar: ett cykelbibliotek.', '<p>Mer.</p>');
		for (const n of [1, 2, 3, 4])
			await article(`cykel-text-${n}`, 'Något annat.', '<p>Ett cykelbibliotek.</p>');
		await article('cykel-utkast', 'Ett cykelbibliotek i utkast.', '<p>Mer.</p>', null);

		const full = await searchArticles(h.db, 'sv', 'cykelbibliotek', 1, 2);
		expect(full).toMatchObject({ total: 8, pages: 4 });
		expect(full.more).toBeUndefined();
		expect(full.hits.map((x) => x.slug)).toEqual(['cykel-d', 'cykel-b']);
		// More matches than counted: "at least", and the page is the full count's.
		const counted = await searchArticles(h.db, 'sv', 'cykelbibliotek', 1, 2, { upTo: 2 });
		expect(counted.more).toBe(true);
		expect(counted.total).toBeGreaterThanOrEqual(2);
		expect(counted.total).toBeLessThanOrEqual(8);
		expect(counted.hits).toEqual(full.hits.map((hit) => ({ ...hit, snippet: expect.any(String) })));
		expect(counted.hits.map((x) => x.snippet)).toEqual(
			full.hits.map((x) => x.snippet).map(() => expect.stringContaining('<mark>'))
		);
		// A page the teaser matches do not fill, a query that excludes a word (the first teaser
		// match's text holds it), and a word with no more matches than counted: every match
		// counted, as without.
		for (const [q, page, perPage, upTo] of [
			['cykelbibliotek', 3, 2, 2],
			['cykelbibliotek -cyklar', 1, 2, 2],
			['cykelbibliotek', 1, 2, 10]
		] as const) {
			const exact = await searchArticles(h.db, 'sv', q, page, perPage);
			const found = await searchArticles(h.db, 'sv', q, page, perPage, { upTo });
			expect(found.more).toBeUndefined();
			expect({ ...found, hits: found.hits.map((x) => x.slug) }).toEqual({
				...exact,
				hits: exact.hits.map((x) => x.slug)
			});
		}
		const all = await searchArticles(h.db, 'sv', 'cykelbibliotek', 1, 20, { upTo: 10 });
		expect(all.hits.map((x) => x.slug)).not.toContain('cykel-utkast');
		expect(all.total).toBe(8);
	});

	it('marks only the matched words, whatever private-use characters the text holds', async () => {
		await article(
			'privata-tecken',
			'Ett test.',
			'<p>Före \uE001 kommunerna \uE000 och \uE000\uE000 efter e-demokrati &amp; <b>mer</b> \uE001\uE001</p>'
		);
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
