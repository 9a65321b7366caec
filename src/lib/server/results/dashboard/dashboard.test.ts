import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotNull } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { Database, DatabaseHandle } from '../../kernel/database.ts';
import { anOrganization } from '../../test/factories/organizations.ts';
import { aPartnership } from '../../test/factories/partnerships.ts';
import { aFramework } from '../../test/factories/results.ts';
import { partnership } from '../../partnerships/schema.ts';
import { dialogueSpace } from '../../dialogue/schema.ts';
import { annualReport, reportDeadline, reportPrinciple } from '../reports/schema.ts';
import { dashboardFigures, dashboardOptions, defaultYear, type DashboardFilter } from './queries.ts';
import { statements } from '../../test/statements.ts';

// The programme's figures from a small known set: five partnerships in two countries with reports
// and frameworks whose progress is known (test/factories/results.ts), counted exactly.

const principles = ['participation', 'transparency', 'accountability', 'non-discrimination'];
const today = new Date('2026-03-15T12:00:00Z');

type Scores = Partial<Record<string, number | null>>;

async function aReport(
	db: Database,
	partnershipId: number,
	year: number,
	status: 'submitted' | 'approved',
	scores: Scores
) {
	const [row] = await db
		.insert(annualReport)
		.values({ partnershipId, year, status, submittedAt: new Date(`${year + 1}-02-01T00:00:00Z`) })
		.returning({ id: annualReport.id });
	const entries = Object.entries(scores);
	if (entries.length)
		await db
			.insert(reportPrinciple)
			.values(entries.map(([principle, score]) => ({ reportId: row!.id, principle, score: score ?? null })));
}

describe.each(testDatabases)('the results dashboard on $name', (database) => {
	let h: DatabaseHandle;
	const figures = (f: Partial<DashboardFilter> = {}) =>
		dashboardFigures(h.db, { year: 2025, ...f }, principles, today);

	beforeAll(async () => {
		h = await database.open();
		const db = h.db;
		// A clean programme: the demo's partnerships and due dates are not part of the count.
		await db.delete(dialogueSpace).where(isNotNull(dialogueSpace.partnershipId));
		await db.delete(partnership);
		await db.delete(reportDeadline);
		await db.insert(reportDeadline).values([
			{ year: 2023, due: '2024-03-31' },
			{ year: 2024, due: '2025-03-31' },
			{ year: 2025, due: '2026-03-31' }
		]);
		const bw = (await anOrganization(db, { country: 'BW' })).id;
		const ke = (await anOrganization(db, { country: 'KE' })).id;
		const p1 = await aPartnership(db, { international: [bw], goals: [16] });
		const p2 = await aPartnership(db, { international: [ke], goals: [5] });
		const p3 = await aPartnership(db, { international: [ke], goals: [16] });
		await aPartnership(db, { international: [bw], goals: [16], startYear: 2023 });
		await aPartnership(db, { international: [bw] });
		await aFramework(db, p1.id);
		await aFramework(db, p2.id);
		await aReport(db, p1.id, 2024, 'approved', {});
		await aReport(db, p1.id, 2025, 'approved', {
			participation: 4,
			transparency: 3,
			accountability: 3,
			'non-discrimination': 5
		});
		await aReport(db, p2.id, 2024, 'submitted', { participation: 1 });
		await aReport(db, p2.id, 2025, 'approved', {
			participation: 4,
			transparency: 2,
			accountability: null,
			'non-discrimination': 5
		});
		await aReport(db, p3.id, 2024, 'approved', { participation: 2 });
	});
	afterAll(async () => {
		await h?.close();
	});

	it('counts the self-assessments of the approved reports of the year, per principle and score', async () => {
		const f = await figures();
		expect(f.scores).toEqual([
			{ principle: 'participation', counts: [0, 0, 0, 2, 0], total: 2, mean: 4 },
			{ principle: 'transparency', counts: [0, 1, 1, 0, 0], total: 2, mean: 2.5 },
			{ principle: 'accountability', counts: [0, 0, 1, 0, 0], total: 1, mean: 3 },
			{ principle: 'non-discrimination', counts: [0, 0, 0, 0, 2], total: 2, mean: 5 }
		]);
		// 2024: the submitted (not approved) report's 1 is not counted.
		expect((await figures({ year: 2024 })).scores[0]).toEqual({
			principle: 'participation',
			counts: [0, 1, 0, 0, 0],
			total: 1,
			mean: 2
		});
	});

	it('narrows every figure to a country, a goal and a principle', async () => {
		const kenya = await figures({ country: 'KE' });
		expect(kenya.scores.map((s) => s.counts)).toEqual([
			[0, 0, 0, 1, 0],
			[0, 1, 0, 0, 0],
			[0, 0, 0, 0, 0],
			[0, 0, 0, 0, 1]
		]);
		expect(kenya.partnerships).toEqual({ inFilter: 2, activeInYear: 2, approvedReports: 1 });
		expect(kenya.lights).toEqual({ 'on-time': 1, due: 1, overdue: 0, inactive: 0 });
		expect(kenya.progress.buckets).toMatchObject({ q3: 1, q4: 1 });

		const goal16 = await figures({ goal: 16 });
		expect(goal16.partnerships).toEqual({ inFilter: 3, activeInYear: 3, approvedReports: 1 });
		expect(goal16.lights).toEqual({ 'on-time': 1, due: 1, overdue: 0, inactive: 1 });

		const transparency = await figures({ principle: 'transparency' });
		expect(transparency.scores).toEqual([
			{ principle: 'transparency', counts: [0, 1, 1, 0, 0], total: 2, mean: 2.5 }
		]);
		expect(transparency.progress.buckets).toEqual({ q1: 0, q2: 0, q3: 0, q4: 2, reached: 0, unknown: 0 });
		expect(transparency.progress.mean).toEqual([{ principle: 'transparency', mean: 0.75, counted: 2 }]);
	});

	it("distributes the indicators' progress by quarter and averages it per principle", async () => {
		// 2025: the rising count 0.75 (its total, not its breakdown by sex), the falling share 0.5.
		const f = await figures();
		expect(f.progress.buckets).toEqual({ q1: 0, q2: 0, q3: 2, q4: 2, reached: 0, unknown: 0 });
		expect(f.progress.mean).toEqual([
			{ principle: 'participation', mean: null, counted: 0 },
			{ principle: 'transparency', mean: 0.75, counted: 2 },
			{ principle: 'accountability', mean: 0.5, counted: 2 },
			{ principle: 'non-discrimination', mean: null, counted: 0 }
		]);
		// 2024: (45 − 40) / (60 − 40) = 0.25 and (30 − 28) / (30 − 20) = 0.2.
		expect((await figures({ year: 2024 })).progress.buckets).toEqual({
			q1: 2,
			q2: 2,
			q3: 0,
			q4: 0,
			reached: 0,
			unknown: 0
		});
	});

	it('counts partnerships and their reporting lights', async () => {
		const f = await figures();
		expect(f.partnerships).toEqual({ inFilter: 5, activeInYear: 5, approvedReports: 2 });
		expect(f.lights).toEqual({ 'on-time': 2, due: 1, overdue: 1, inactive: 1 });
		expect((await figures({ year: 2023 })).partnerships.activeInYear).toBe(1);
	});

	it('offers the years, principles, countries and goals in use, and defaults to the latest approved year', async () => {
		const options = await dashboardOptions(h.db);
		// The due dates' years, and those of the frameworks' periods (2024, 2025).
		expect(options.years).toEqual([2025, 2024, 2023]);
		expect(options.principles).toEqual(expect.arrayContaining(principles));
		expect(options.countries).toEqual(['BW', 'KE']);
		expect(options.goals).toEqual([5, 16]);
		expect(await defaultYear(h.db, options.years)).toBe(2025);
	});

	it('sends the same number of statements for 1 and for 20 more partnerships', async () => {
		const load = () =>
			statements(h.db, async () => {
				const options = await dashboardOptions(h.db);
				return figures({ year: await defaultYear(h.db, options.years), country: 'BW' });
			});
		const before = await load();
		const org = (await anOrganization(h.db, { country: 'BW' })).id;
		for (let i = 0; i < 20; i++) {
			const p = await aPartnership(h.db, { international: [org], goals: [16] });
			await aFramework(h.db, p.id);
			await aReport(h.db, p.id, 2025, 'approved', { participation: 3 });
		}
		const after = await load();
		expect(after.result.partnerships.inFilter).toBe(before.result.partnerships.inFilter + 20);
		expect(after.result.scores[0]!.counts[2]).toBe(20);
		expect(after.seen.length).toBe(before.seen.length);
		// Options 5, the default year 1, the figures 3 (the partnerships with their lights are one).
		expect(before.seen.length).toBe(9);
	});
});
