import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { sdgGoal, sdgTarget } from './schema.ts';
import { seedTaxonomy } from './seed.ts';

// The goals and their targets are reference data, loaded on every start: one whose wording changed
// in data/sdg/sdg.json is updated, one that did not change is not written again.

describe.each(testDatabases)('the reference targets on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	/** The row version PostgreSQL gives a row each time it is written. */
	const version = async (code: string) =>
		(
			await h.db
				.select({ v: sql<string>`xmin::text` })
				.from(sdgTarget)
				.where(eq(sdgTarget.code, code))
		)[0]!.v;
	const titleOf = async (code: string) =>
		(await h.db.select({ title: sdgTarget.title }).from(sdgTarget).where(eq(sdgTarget.code, code)))[0]!.title;

	it('updates a target whose wording changed and leaves the others unwritten', async () => {
		const shipped = await titleOf('16.7');
		expect(shipped.sv).toMatch(/beslutsfattande/);
		await h.db
			.update(sdgTarget)
			.set({ title: { sv: 'Gammal titel' } })
			.where(eq(sdgTarget.code, '16.7'));
		const untouched = await version('1.1');
		await seedTaxonomy(h.db);
		expect(await titleOf('16.7')).toEqual(shipped);
		expect(await version('1.1')).toBe(untouched);
	});

	it('does the same for the goals', async () => {
		const goal = async (n: number) =>
			(
				await h.db
					.select({ v: sql<string>`xmin::text`, colour: sdgGoal.colour })
					.from(sdgGoal)
					.where(eq(sdgGoal.number, n))
			)[0]!;
		const shipped = (await goal(16)).colour;
		await h.db.update(sdgGoal).set({ colour: '#000000' }).where(eq(sdgGoal.number, 16));
		const untouched = (await goal(1)).v;
		await seedTaxonomy(h.db);
		expect((await goal(16)).colour).toBe(shipped);
		expect((await goal(1)).v).toBe(untouched);
	});
});
