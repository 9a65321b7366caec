import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { organization } from '../organizations/schema.ts';
import { testDatabases } from './databases.ts';
import { rowsOf } from './rows.ts';

// The test workers keep one database of each kind and put it back as prepared for the next file:
// what one file writes must not be there for the next.
describe.each(testDatabases)('a test database opened again, on $name', (database) => {
	it('is as prepared: rows written, changed and deleted before are back as they were, and ids go on from the same place', async () => {
		const first = await database.open();
		const [before] = await first.db.select({ n: count() }).from(organization);
		const [ale] = await first.db
			.select({ id: organization.id, name: organization.name })
			.from(organization)
			.where(eq(organization.slug, 'ale-kommun'));
		const [added] = await first.db
			.insert(organization)
			.values({ slug: 'kvar-efter-testet', kind: 'other', name: { sv: 'Kvar efter testet' }, country: 'SE' })
			.returning({ id: organization.id });
		await first.db
			.update(organization)
			.set({ name: { sv: 'Ändrad' } })
			.where(eq(organization.id, ale!.id));
		const [style] = await rowsOf<{ DateStyle: string }>(first.db, sql`show datestyle`);
		await first.db.execute(sql`set datestyle = 'German'`);
		await first.close();

		const second = await database.open();
		try {
			const [after] = await second.db.select({ n: count() }).from(organization);
			expect(after!.n).toBe(before!.n);
			const [again] = await second.db
				.select({ name: organization.name })
				.from(organization)
				.where(eq(organization.id, ale!.id));
			expect(again!.name).toEqual(ale!.name);
			const [next] = await second.db
				.insert(organization)
				.values({
					slug: 'kvar-efter-testet',
					kind: 'other',
					name: { sv: 'Kvar efter testet' },
					country: 'SE'
				})
				.returning({ id: organization.id });
			expect(next!.id).toBe(added!.id);
			// A setting left in the session is gone too.
			expect(await rowsOf(second.db, sql`show datestyle`)).toEqual([style]);
		} finally {
			await second.close();
		}
	});
});
