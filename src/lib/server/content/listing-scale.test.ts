import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { saveArticles } from './import.ts';
import { syntheticArticles } from './corpus.ts';
import { listInspiration } from './listing.ts';
import { readQuery } from '../kernel/input.ts';
import { inspirationQuery } from './input.ts';

const filter = (query: string) => readQuery(new URLSearchParams(query), inspirationQuery, 'content');

describe.each(testDatabases)('the listing at scale on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
		await saveArticles(h.db, [...syntheticArticles(300)]);
	});
	afterAll(() => h?.close());

	it('pages through every article exactly once, 20 a page, newest first', async () => {
		const first = await listInspiration(h.db, 'en', filter(''));
		expect(first.total).toBe(308);
		expect(first.pages).toBe(16);
		const seen: string[] = [];
		let previous = Infinity;
		for (let page = 1; page <= first.pages; page++) {
			const p = await listInspiration(h.db, 'en', filter(`page=${page}`));
			expect(p.items.length).toBe(page < 16 ? 20 : 8);
			for (const item of p.items) {
				const t = Date.parse(item.publishedAt);
				expect(t).toBeLessThanOrEqual(previous);
				previous = t;
				seen.push(item.slug);
			}
		}
		expect(new Set(seen).size).toBe(308);
	});

	it('counts per filter value that match what choosing the value gives', async () => {
		const base = await listInspiration(h.db, 'sv', filter('theme=participation'));
		for (const kind of base.facets.kind) {
			const chosen = await listInspiration(h.db, 'sv', filter(`theme=participation&kind=${kind.value}`));
			expect(chosen.total).toBe(kind.count);
		}
		for (const goal of base.facets.goal.slice(0, 4)) {
			const chosen = await listInspiration(h.db, 'sv', filter(`theme=participation&sdg=${goal.value}`));
			expect(chosen.total).toBe(goal.count);
			for (const target of chosen.facets.target) {
				const narrower = await listInspiration(h.db, 'sv', filter(`theme=participation&sdg=${target.value}`));
				expect(narrower.total).toBe(target.count);
				expect(target.value.startsWith(`${goal.value}.`)).toBe(true);
			}
		}
		const country = base.facets.country.find((c) => c.value !== 'SE')!;
		expect(
			(await listInspiration(h.db, 'sv', filter(`theme=participation&country=${country.value}`))).total
		).toBe(country.count);
	});

	it('orders free-text matches by relevance and counts within them', async () => {
		const p = await listInspiration(h.db, 'sv', filter('q=medborgardialog'));
		expect(p.total).toBeGreaterThan(20);
		expect(p.total).toBeLessThan(308);
		const kinds = p.facets.kind.reduce((s, k) => s + k.count, 0);
		expect(kinds).toBe(p.total);
	});
});
