import { inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { frameworkOf } from '../../results/queries.ts';
import {
	figureDimension,
	indicator,
	indicatorFigure,
	indicatorPeriod,
	result,
	resultActivity,
	resultGoal,
	resultTarget
} from '../../results/schema.ts';

export interface TestFramework {
	impact: number;
	outcome: number;
	output: number;
	/** The outcome's rising count: baseline 40 (2023); 2024 target 50 actual 45; 2025 target 60 actual 55. */
	rising: number;
	/** The output's falling percentage: baseline 30 (2023); 2024 target 25 actual 28; 2025 target 20 actual 25. */
	falling: number;
	/** The impact's qualitative indicator (no numbers, no progress). */
	qualitative: number;
	activity: number;
	milestone: number;
}

/**
 * A small framework for a test, written straight to the tables: impact (participation, goal 16,
 * target 16.7) → outcome (transparency) → output (accountability), three indicators of different
 * measures (the rising one's 2025 figures broken down by sex), an activity and a milestone.
 * Progress as progress.ts works it out: rising (55 − 40) / (60 − 40) = 0.75, falling
 * (30 − 25) / (30 − 20) = 0.5; output 0.5, outcome mean(0.75, 0.5) = 0.625, impact 0.625.
 */
export async function aFramework(db: Database | Transaction, partnershipId: number): Promise<TestFramework> {
	const text = (sv: string, en: string) => ({ sv, en });
	const [impact] = await db
		.insert(result)
		.values({
			partnershipId,
			level: 'impact',
			principle: 'participation',
			title: text('Fler invånare påverkar besluten', 'More residents influence decisions')
		})
		.returning({ id: result.id });
	const [outcome] = await db
		.insert(result)
		.values({
			partnershipId,
			parentId: impact!.id,
			level: 'outcome',
			principle: 'transparency',
			title: text('Öppna möten om budgeten', 'Open meetings on the budget')
		})
		.returning({ id: result.id });
	const [output] = await db
		.insert(result)
		.values({
			partnershipId,
			parentId: outcome!.id,
			level: 'output',
			principle: 'accountability',
			title: text('Svar på invånarnas frågor', "Answers to residents' questions")
		})
		.returning({ id: result.id });
	await db.insert(resultGoal).values({ resultId: impact!.id, goal: 16 });
	await db.insert(resultTarget).values({ resultId: impact!.id, target: '16.7' });

	const [rising, falling, qualitative] = await db
		.insert(indicator)
		.values([
			{
				resultId: outcome!.id,
				measure: 'unit',
				ascending: true,
				title: text('Deltagare på öppna möten', 'Participants in open meetings'),
				dataSource: text('Närvarolistor', 'Attendance lists')
			},
			{
				resultId: output!.id,
				measure: 'percentage',
				ascending: false,
				title: text('Andel frågor utan svar', 'Share of questions left unanswered'),
				dataSource: text('Kommunens ärendelogg', "The municipality's case log")
			},
			{
				resultId: impact!.id,
				measure: 'qualitative',
				ascending: true,
				title: text('Hur invånarna beskriver sitt inflytande', 'How residents describe their influence')
			}
		])
		.returning({ id: indicator.id });

	const periods = await db
		.insert(indicatorPeriod)
		.values([
			{ indicatorId: rising!.id, start: '2024-01-01', end: '2024-12-31' },
			{ indicatorId: rising!.id, start: '2025-01-01', end: '2025-12-31' },
			{ indicatorId: falling!.id, start: '2024-01-01', end: '2024-12-31' },
			{ indicatorId: falling!.id, start: '2025-01-01', end: '2025-12-31' }
		])
		.returning({ id: indicatorPeriod.id });
	const [r24, r25, f24, f25] = periods.map((p) => p.id);
	const figure = (indicatorId: number, kind: 'target' | 'actual', periodId: number, value: string) => ({
		indicatorId,
		kind,
		periodId,
		value
	});
	const figures = await db
		.insert(indicatorFigure)
		.values([
			{ indicatorId: rising!.id, kind: 'baseline' as const, year: 2023, isoDate: '2023-12-31', value: '40' },
			figure(rising!.id, 'target', r24!, '50'),
			figure(rising!.id, 'actual', r24!, '45'),
			figure(rising!.id, 'target', r25!, '60'),
			{ ...figure(rising!.id, 'actual', r25!, '55'), position: 0 },
			{ ...figure(rising!.id, 'actual', r25!, '30'), position: 1 },
			{ ...figure(rising!.id, 'actual', r25!, '25'), position: 2 },
			{ indicatorId: falling!.id, kind: 'baseline' as const, year: 2023, value: '30' },
			figure(falling!.id, 'target', f24!, '25'),
			figure(falling!.id, 'actual', f24!, '28'),
			figure(falling!.id, 'target', f25!, '20'),
			figure(falling!.id, 'actual', f25!, '25')
		])
		.returning({ id: indicatorFigure.id });
	// The 2025 actual's breakdown: 30 women and 25 men of the 55.
	await db.insert(figureDimension).values([
		{ figureId: figures[5]!.id, name: 'sex', value: 'female' },
		{ figureId: figures[6]!.id, name: 'sex', value: 'male' }
	]);

	const [activity, milestone] = await db
		.insert(resultActivity)
		.values([
			{
				partnershipId,
				resultId: outcome!.id,
				title: text('Utbildning för mötesledare', 'Training for meeting chairs'),
				start: '2024-02-01',
				end: '2024-04-30',
				done: true
			},
			{
				partnershipId,
				resultId: impact!.id,
				title: text('Första öppna budgetmötet', 'First open budget meeting'),
				milestone: true,
				end: '2024-09-15'
			}
		])
		.returning({ id: resultActivity.id });

	return {
		impact: impact!.id,
		outcome: outcome!.id,
		output: output!.id,
		rising: rising!.id,
		falling: falling!.id,
		qualitative: qualitative!.id,
		activity: activity!.id,
		milestone: milestone!.id
	};
}

/**
 * The totals the database keeps beside a partnership's indicators and periods (migration 0028's
 * triggers) beside the totals its figures give, worked out here from the framework as the
 * partnership page reads it: the two lists are equal when the triggers kept up.
 */
export async function keptTotals(db: Database | Transaction, partnershipId: number) {
	const framework = await frameworkOf(db, partnershipId);
	const indicators = framework.results.flatMap(function all(r): typeof r.indicators {
		return [...r.indicators, ...r.children.flatMap(all)];
	});
	const total = (figures: { value: string | null; dimensions: unknown[] }[], withValue = false) =>
		figures.find((f) => f.dimensions.length === 0 && (!withValue || f.value !== null))?.value ?? null;
	const expected = indicators.flatMap((i) => [
		`indicator ${i.id}: baseline ${total(i.baselines)}`,
		...i.periods.map((p) => `period ${p.id}: target ${total(p.targets)}, actual ${total(p.actuals, true)}`)
	]);
	const ids = indicators.map((i) => i.id);
	const [storedIndicators, storedPeriods] = ids.length
		? await Promise.all([
				db
					.select({ id: indicator.id, baseline: indicator.baselineTotal })
					.from(indicator)
					.where(inArray(indicator.id, ids)),
				db
					.select({
						id: indicatorPeriod.id,
						target: indicatorPeriod.targetTotal,
						actual: indicatorPeriod.actualTotal
					})
					.from(indicatorPeriod)
					.where(inArray(indicatorPeriod.indicatorId, ids))
			])
		: [[], []];
	const byIndicator = new Map(storedIndicators.map((i) => [i.id, i]));
	const byPeriod = new Map(storedPeriods.map((p) => [p.id, p]));
	const kept = indicators.flatMap((i) => [
		`indicator ${i.id}: baseline ${byIndicator.get(i.id)?.baseline ?? null}`,
		...i.periods.map((p) => {
			const s = byPeriod.get(p.id);
			return `period ${p.id}: target ${s?.target ?? null}, actual ${s?.actual ?? null}`;
		})
	]);
	return { kept, expected };
}
