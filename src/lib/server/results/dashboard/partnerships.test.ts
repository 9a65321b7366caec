import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isNotNull } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle, Transaction } from '../../kernel/database.ts';
import { partnership } from '../../partnerships/schema.ts';
import { dialogueSpace } from '../../dialogue/schema.ts';
import { indicator, indicatorPeriod, result } from '../schema.ts';
import { annualReport, reportDeadline } from '../reports/schema.ts';
import { reportingYears } from '../reports/queries.ts';
import { reportingLight, type Light } from '../reports/light.ts';
import { partnershipCounts } from './partnerships.ts';

// The dashboard counts the reporting lights in SQL; the partnership's own page works its light out
// with reportingYears and reportingLight. On random programmes (due dates, start and end years,
// reports sent early, late or never, frameworks starting before the first report) and a random
// day near a due date, both must give every partnership the same light.

const day = 86_400_000;
const aProgramme = fc.record({
	deadlines: fc.uniqueArray(
		fc.record({ year: fc.integer({ min: 2019, max: 2026 }), month: fc.integer({ min: 1, max: 6 }) }),
		{ selector: (d) => d.year, maxLength: 6 }
	),
	partnerships: fc.array(
		fc.record({
			startYear: fc.option(fc.integer({ min: 2018, max: 2026 })),
			length: fc.option(fc.integer({ min: 0, max: 4 })),
			firstPeriod: fc.option(fc.integer({ min: 2017, max: 2026 })),
			reports: fc.uniqueArray(
				fc.record({
					year: fc.integer({ min: 2018, max: 2026 }),
					// Days after the year's end that it was sent (none: started, never sent).
					sentAfter: fc.option(fc.integer({ min: 0, max: 200 }))
				}),
				{ selector: (r) => r.year, maxLength: 5 }
			)
		}),
		{ minLength: 1, maxLength: 6 }
	),
	// A day from 2020 to 2027, in whole days and a few milliseconds either side of midnight.
	today: fc.tuple(fc.integer({ min: 0, max: 8 * 365 }), fc.constantFrom(-1, 0, 1, 43_200_000)),
	year: fc.integer({ min: 2019, max: 2026 })
});

type Programme = typeof aProgramme extends fc.Arbitrary<infer T> ? T : never;

async function write(tx: Transaction, p: Programme) {
	if (p.deadlines.length)
		await tx
			.insert(reportDeadline)
			.values(p.deadlines.map((d) => ({ year: d.year, due: `${d.year + 1}-0${d.month}-28` })));
	const ids: number[] = [];
	for (const [i, one] of p.partnerships.entries()) {
		const [row] = await tx
			.insert(partnership)
			.values({
				slug: `light-${i}`,
				status: 'inception',
				startYear: one.startYear,
				endYear: one.startYear !== null && one.length !== null ? one.startYear + one.length : null,
				summary: { sv: 'Ett partnerskap för ett test.' }
			})
			.returning({ id: partnership.id });
		const id = row!.id;
		ids.push(id);
		if (one.firstPeriod !== null) {
			const [r] = await tx
				.insert(result)
				.values({ partnershipId: id, level: 'outcome', title: { en: 'A result' } })
				.returning({ id: result.id });
			const [ind] = await tx
				.insert(indicator)
				.values({ resultId: r!.id, measure: 'unit', title: { en: 'An indicator' } })
				.returning({ id: indicator.id });
			await tx.insert(indicatorPeriod).values([
				{ indicatorId: ind!.id, start: `${one.firstPeriod}-01-01`, end: `${one.firstPeriod}-12-31` },
				{ indicatorId: ind!.id, start: `${one.firstPeriod + 1}-01-01`, end: `${one.firstPeriod + 1}-12-31` }
			]);
		}
		if (one.reports.length)
			await tx.insert(annualReport).values(
				one.reports.map((r) => ({
					partnershipId: id,
					year: r.year,
					status: r.sentAfter === null ? ('draft' as const) : ('submitted' as const),
					submittedAt: r.sentAfter === null ? null : new Date(Date.UTC(r.year + 1, 0, 1) + r.sentAfter * day)
				}))
			);
	}
	return ids;
}

describe.each(testDatabases)('the reporting lights counted in SQL on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
		await h.db.delete(dialogueSpace).where(isNotNull(dialogueSpace.partnershipId));
		await h.db.delete(partnership);
		await h.db.delete(reportDeadline);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('gives every partnership the light its own page shows', async () => {
		await fc.assert(
			fc.asyncProperty(aProgramme, async (p) => {
				const today = new Date(Date.UTC(2020, 0, 1) + p.today[0] * day + p.today[1]);
				let seen:
					{ sql: Awaited<ReturnType<typeof partnershipCounts>>; ts: Record<Light, number> } | undefined;
				await h.db
					.transaction(async (tx) => {
						const ids = await write(tx, p);
						const ts: Record<Light, number> = { 'on-time': 0, due: 0, overdue: 0, inactive: 0 };
						for (const years of (await reportingYears(tx, ids)).values())
							ts[reportingLight(years, today)] += 1;
						seen = { sql: await partnershipCounts(tx, p.year, [], today), ts };
						tx.rollback();
					})
					.catch((e: unknown) => {
						if (!seen) throw e;
					});
				expect(seen!.sql.lights).toEqual(seen!.ts);
				expect(seen!.sql.inFilter).toBe(p.partnerships.length);
			}),
			{ numRuns: 60 }
		);
	});
});
