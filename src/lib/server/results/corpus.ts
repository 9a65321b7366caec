import { asc, like, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { runSystemChange } from '../kernel/write.ts';
import { partnership } from '../partnerships/schema.ts';
import { theme } from '../taxonomy/schema.ts';
import { indicator, indicatorFigure, indicatorPeriod, result } from './schema.ts';
import { annualReport, reportDeadline, reportPrinciple } from './reports/schema.ts';

// Synthetic results for the bench (never the demo): for each partnership of the synthetic
// registry (partnerships/corpus.ts), a framework of two results with two indicators each, a
// yearly period with target and actual for each of `years` years, and a yearly report per year
// with a self-assessment per principle, most approved. Written in bulk, straight to the tables.

/** A value from 0 to 1 that depends only on its arguments (the same corpus on every run). */
function noise(...n: number[]): number {
	let h = 2166136261;
	for (const x of n) h = Math.imul(h ^ x, 16777619) >>> 0;
	h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
	return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}

async function insertAll<T extends object>(
	work: (rows: T[]) => Promise<unknown>,
	rows: T[],
	size = 4000
): Promise<void> {
	for (let i = 0; i < rows.length; i += size) await work(rows.slice(i, i + size));
}

export async function addSyntheticResults(
	db: Database,
	{ years = 10, lastYear = 2025 }: { years?: number; lastYear?: number } = {}
): Promise<{ partnerships: number; indicators: number; reports: number }> {
	const first = lastYear - years + 1;
	const yearList = Array.from({ length: years }, (_, i) => first + i);
	return runSystemChange(db, async (tx) => {
		const ids = (
			await tx
				.select({ id: partnership.id })
				.from(partnership)
				.where(like(partnership.slug, 'corpus-partnership-%'))
				.orderBy(asc(partnership.id))
		).map((p) => p.id);
		const principles = (
			await tx
				.select({ key: theme.key })
				.from(theme)
				.where(sql`${theme.kind} = 'principle'`)
		).map((t) => t.key);

		await tx
			.insert(reportDeadline)
			.values(yearList.map((year) => ({ year, due: `${year + 1}-03-31` })))
			.onConflictDoNothing();

		// Two results (an outcome and its output) per partnership, each for a principle.
		const results = ids.flatMap((partnershipId, i) =>
			[0, 1].map((k) => ({
				partnershipId,
				level: k === 0 ? ('outcome' as const) : ('output' as const),
				principle: principles[(i + k) % principles.length]!,
				title: { sv: `Resultat ${k + 1}`, en: `Result ${k + 1}` },
				position: k
			}))
		);
		const resultIds: number[] = [];
		await insertAll(async (rows) => {
			const made = await tx.insert(result).values(rows).returning({ id: result.id });
			resultIds.push(...made.map((r) => r.id));
		}, results);

		const indicators = resultIds.flatMap((resultId, r) =>
			[0, 1].map((k) => ({
				resultId,
				measure: k === 0 ? ('unit' as const) : ('percentage' as const),
				ascending: k === 0,
				title: { sv: `Indikator ${k + 1}`, en: `Indicator ${k + 1}` },
				position: k,
				seed: r * 2 + k
			}))
		);
		const indicatorIds: number[] = [];
		await insertAll(async (rows) => {
			const made = await tx
				.insert(indicator)
				.values(rows.map(({ seed: _, ...row }) => row))
				.returning({ id: indicator.id });
			indicatorIds.push(...made.map((r) => r.id));
		}, indicators);

		const periods = indicatorIds.flatMap((indicatorId) =>
			yearList.map((year) => ({ indicatorId, start: `${year}-01-01`, end: `${year}-12-31` }))
		);
		const periodIds: number[] = [];
		await insertAll(async (rows) => {
			const made = await tx.insert(indicatorPeriod).values(rows).returning({ id: indicatorPeriod.id });
			periodIds.push(...made.map((r) => r.id));
		}, periods);

		// A rising count from 20 toward 100, a falling share from 60 toward 10, each with its own pace.
		const figures: (typeof indicatorFigure.$inferInsert)[] = [];
		indicatorIds.forEach((indicatorId, n) => {
			const rising = n % 2 === 0;
			const [base, goal] = rising ? [20, 100] : [60, 10];
			figures.push({ indicatorId, kind: 'baseline', year: first - 1, value: String(base) });
			yearList.forEach((year, y) => {
				const periodId = periodIds[n * years + y]!;
				const planned = base + ((goal - base) * (y + 1)) / years;
				const reached = base + (goal - base) * Math.min(1.1, ((y + 1) / years) * (0.4 + noise(n, y) * 0.8));
				figures.push({ indicatorId, kind: 'target', periodId, value: String(Math.round(planned)) });
				figures.push({ indicatorId, kind: 'actual', periodId, value: String(Math.round(reached)) });
			});
		});
		await insertAll((rows) => tx.insert(indicatorFigure).values(rows), figures);

		// Reports: nine in ten approved, the rest submitted or not started (then no row at all).
		const reports = ids.flatMap((partnershipId, i) =>
			yearList
				.map((year) => ({ partnershipId, year, chance: noise(i, year, 7) }))
				.filter((r) => r.chance < 0.97)
				.map(({ partnershipId, year, chance }) => ({
					partnershipId,
					year,
					status: chance < 0.9 ? ('approved' as const) : ('submitted' as const),
					submittedAt: new Date(`${year + 1}-0${chance < 0.8 ? 2 : 4}-15T12:00:00Z`),
					approvedAt: chance < 0.9 ? new Date(`${year + 1}-05-01T12:00:00Z`) : null
				}))
		);
		const reportIds: number[] = [];
		await insertAll(async (rows) => {
			const made = await tx.insert(annualReport).values(rows).returning({ id: annualReport.id });
			reportIds.push(...made.map((r) => r.id));
		}, reports);
		const scores = reportIds.flatMap((reportId, r) =>
			principles.map((principle, k) => ({
				reportId,
				principle,
				score: 1 + Math.floor(noise(r, k, 11) * 5),
				reasoning: { en: 'Synthetic assessment for the bench.' }
			}))
		);
		await insertAll((rows) => tx.insert(reportPrinciple).values(rows), scores);

		return {
			result: { partnerships: ids.length, indicators: indicatorIds.length, reports: reportIds.length },
			audit: { action: 'results.corpus', after: { partnerships: ids.length, years, lastYear } },
			public: true
		};
	});
}
