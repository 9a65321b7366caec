import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import { partnership } from './schema.ts';
import { searchPartnerships } from './search.ts';

// The site search's overview counts a common word's partnerships only so far and takes its first
// few from the newest partnerships: it must show the same partnerships as a full search.

describe.each(testDatabases)('searching partnerships on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	const search = (word: string, perPage: number, upTo?: number) =>
		searchPartnerships(h.db, 'sv', [word], { page: 1, perPage, upTo });
	const slugs = (found: { hits: { slug: string }[] }) => found.hits.map((p) => p.slug);

	it('counts a common word only so far when asked, with the same first partnerships as a full count', async () => {
		for (const year of [2019, 2021, 2023, 2022, 2020])
			await aPartnership(h.db, {
				slug: `tranbar-${year}`,
				startYear: year,
				summary: `Tranbärsodling ${year}.`
			});
		const full = await search('tranbarsodling', 2);
		expect(full).toMatchObject({ total: 5 });
		expect(slugs(full)).toEqual(['tranbar-2023', 'tranbar-2022']);
		const some = await search('tranbarsodling', 2, 3);
		expect(some).toMatchObject({ total: 3, more: true });
		expect(slugs(some)).toEqual(slugs(full));
		// No more matches than it counts: the count is the whole.
		const all = await search('tranbarsodling', 2, 5);
		expect(all.total).toBe(5);
		expect(all.more).toBeUndefined();
		expect(slugs(all)).toEqual(slugs(full));
	});

	it('finds the matches that are not among the newest partnerships, in the same order as a full search', async () => {
		// Older than the 200 newest: one match far back, and one among the newest.
		await aPartnership(h.db, { slug: 'hjortron-old', startYear: 1990, summary: 'Hjortronmyrar förr.' });
		await h.db.insert(partnership).values(
			Array.from({ length: 200 }, (_, i) => ({
				slug: `newer-${i}`,
				status: 'inception' as const,
				startYear: 2025,
				summary: { sv: `Ett nyare partnerskap ${i}.` }
			}))
		);
		const alone = await search('hjortronmyrar', 4, 1000);
		expect(alone.total).toBe(1);
		expect(slugs(alone)).toEqual(['hjortron-old']);
		await aPartnership(h.db, { slug: 'hjortron-new', startYear: 2026, summary: 'Hjortronmyrar nu.' });
		const both = await search('hjortronmyrar', 4, 1000);
		expect(both).toMatchObject({ total: 2 });
		expect(both.more).toBeUndefined();
		expect(slugs(both)).toEqual(['hjortron-new', 'hjortron-old']);
		expect(slugs(await search('hjortronmyrar', 1, 1000))).toEqual(['hjortron-new']);
	});
});
