import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { getArticle, latestArticles } from './queries.ts';
import { inspirationCounts } from './facets.ts';
import { listInspiration } from './listing.ts';
import { listThemes as listThemeNames } from '../taxonomy/themes.ts';
import { readQuery } from '../kernel/input.ts';
import { inspirationQuery } from './input.ts';

/** Themes with their article counts, as the pages compose them. */
const listThemes = async (db: Parameters<typeof inspirationCounts>[0], locale: string) =>
	listThemeNames(db, locale, (await inspirationCounts(db, locale)).themes);

const filter = (query: string) => readQuery(new URLSearchParams(query), inspirationQuery, 'content');

describe.each(testDatabases)('inspiration queries on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	it('lists the eight demo articles newest first, in Swedish', async () => {
		const page = await listInspiration(h.db, 'sv', filter(''));
		expect(page.total).toBe(8);
		expect(page.items).toHaveLength(8);
		const dates = page.items.map((a) => a.publishedAt);
		expect([...dates].sort().reverse()).toEqual(dates);
		expect(page.items.find((a) => a.slug === 'medborgardialog-som-raddar-liv')?.title).toMatch(/liv/i);
	});

	it('filters by theme and counts hits per theme with the other filters kept', async () => {
		const page = await listInspiration(h.db, 'sv', filter('theme=participation'));
		expect(page.total).toBeGreaterThanOrEqual(6);
		expect(page.items.every((a) => a.themes.some((t) => t.key === 'participation'))).toBe(true);
		const participation = page.facets.theme.find((f) => f.value === 'participation');
		expect(participation?.count).toBe(page.total);
		// Kind counts are within the theme filter.
		const kinds = page.facets.kind.reduce((sum, f) => sum + f.count, 0);
		expect(kinds).toBe(page.total);
	});

	it('finds an article tagged 3.3 by its goal 3 and by the target itself', async () => {
		for (const q of ['sdg=3', 'sdg=3.3']) {
			const page = await listInspiration(h.db, 'en', filter(q));
			expect(page.items.map((a) => a.slug)).toContain('medborgardialog-som-raddar-liv');
		}
		const byTarget = await listInspiration(h.db, 'en', filter('sdg=3.3'));
		expect(byTarget.facets.target.map((t) => t.value)).toContain('3.3');
		const none = await listInspiration(h.db, 'en', filter('sdg=14'));
		expect(none.total).toBe(0);
		expect(none.items).toEqual([]);
	});

	it('filters by country and by free text with Swedish stemming', async () => {
		const kosovo = await listInspiration(h.db, 'sv', filter('country=xk'));
		expect(kosovo.items.map((a) => a.slug)).toEqual(['kritiska-fragor-blev-en-vag-till-dialog']);
		const text = await listInspiration(h.db, 'sv', filter('q=medborgardialogen'));
		expect(text.total).toBeGreaterThanOrEqual(3);
	});

	it('pages beyond the end are empty, not an error', async () => {
		const page = await listInspiration(h.db, 'sv', filter('page=5'));
		expect(page.items).toEqual([]);
		expect(page.total).toBe(8);
	});

	it('reads one article with its tags, partnership and related articles', async () => {
		const a = await getArticle(h.db, 'en', 'medborgardialog-som-raddar-liv');
		expect(a).not.toBeNull();
		expect(a!.targets).toEqual(expect.arrayContaining(['3.3', '16.7']));
		expect(a!.goals).toEqual(expect.arrayContaining([3, 16]));
		expect(a!.countries).toEqual(expect.arrayContaining(['SE', 'ID']));
		expect(a!.languages).toEqual(['en', 'sv']);
		expect(a!.partnership?.slug).toBeTruthy();
		expect(a!.related.length).toBeGreaterThan(0);
		expect(a!.related.map((r) => r.slug)).not.toContain(a!.slug);
		expect(await getArticle(h.db, 'en', 'no-such-article')).toBeNull();
	});

	it('lists themes, principles first, with counts', async () => {
		const themes = await listThemes(h.db, 'sv');
		expect(themes.slice(0, 4).map((t) => t.key)).toEqual([
			'participation',
			'transparency',
			'accountability',
			'non-discrimination'
		]);
		expect(themes[0]!.name).toBe('Deltagande');
		const latest = await latestArticles(h.db, 'sv', 3);
		expect(latest).toHaveLength(3);
	});
});
