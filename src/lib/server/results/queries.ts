import { asc, eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { reads } from '../kernel/sql.ts';
import {
	figureDimension,
	indicator,
	indicatorFigure,
	indicatorPeriod,
	result,
	resultActivity,
	resultGoal,
	resultTarget,
	type FigureKind,
	type IndicatorMeasure,
	type ResultLevel,
	type ResultStatus
} from './schema.ts';

// A partnership's whole framework in a fixed number of queries (one per table), however large it
// is: the partnership page, the planning view, the spreadsheet and the IATI file all read this.

export interface Figure {
	id: number;
	kind: FigureKind;
	/** The period it belongs to (targets and actuals). */
	periodId: number | null;
	year: number | null;
	isoDate: string | null;
	value: string | null;
	comment: LocalizedText;
	/** Its breakdown (none for the total). */
	dimensions: { name: string; value: string }[];
}

export interface Period {
	id: number;
	start: string;
	end: string;
	targets: Figure[];
	actuals: Figure[];
}

export interface Indicator {
	id: number;
	measure: IndicatorMeasure;
	ascending: boolean;
	aggregationStatus: boolean | null;
	title: LocalizedText;
	description: LocalizedText;
	dataSource: LocalizedText;
	weight: number | null;
	baselines: Figure[];
	periods: Period[];
}

export interface Result {
	id: number;
	parentId: number | null;
	level: ResultLevel;
	status: ResultStatus;
	principle: string | null;
	title: LocalizedText;
	description: LocalizedText;
	aggregationStatus: boolean | null;
	weight: number | null;
	goals: number[];
	targets: string[];
	indicators: Indicator[];
	children: Result[];
}

export interface Activity {
	id: number;
	resultId: number | null;
	title: LocalizedText;
	milestone: boolean;
	start: string | null;
	end: string;
	done: boolean;
}

export interface Framework {
	/** The top of the tree (impacts, and any result without a parent), in their order. */
	results: Result[];
	activities: Activity[];
}

const num = (v: string | null) => (v === null ? null : Number(v));

/** The framework of one partnership (empty when it has none yet). */
export async function frameworkOf(db: Database | Transaction, partnershipId: number): Promise<Framework> {
	const results = await db
		.select()
		.from(result)
		.where(eq(result.partnershipId, partnershipId))
		.orderBy(asc(result.position), asc(result.id));
	const resultIds = results.map((r) => r.id);
	const [goals, targets, indicators, activities] = await reads(
		db,
		() =>
			resultIds.length
				? db
						.select()
						.from(resultGoal)
						.where(inArray(resultGoal.resultId, resultIds))
						.orderBy(asc(resultGoal.goal))
				: Promise.resolve([]),
		() =>
			resultIds.length
				? db
						.select()
						.from(resultTarget)
						.where(inArray(resultTarget.resultId, resultIds))
						.orderBy(asc(resultTarget.target))
				: Promise.resolve([]),
		() =>
			resultIds.length
				? db
						.select()
						.from(indicator)
						.where(inArray(indicator.resultId, resultIds))
						.orderBy(asc(indicator.position), asc(indicator.id))
				: Promise.resolve([]),
		() =>
			db
				.select()
				.from(resultActivity)
				.where(eq(resultActivity.partnershipId, partnershipId))
				.orderBy(asc(resultActivity.end), asc(resultActivity.id))
	);
	const indicatorIds = indicators.map((i) => i.id);
	const [periods, figures] = indicatorIds.length
		? await reads(
				db,
				() =>
					db
						.select()
						.from(indicatorPeriod)
						.where(inArray(indicatorPeriod.indicatorId, indicatorIds))
						.orderBy(asc(indicatorPeriod.start), asc(indicatorPeriod.end)),
				() =>
					db
						.select()
						.from(indicatorFigure)
						.where(inArray(indicatorFigure.indicatorId, indicatorIds))
						.orderBy(asc(indicatorFigure.position), asc(indicatorFigure.id))
			)
		: [[], []];
	const figureIds = figures.map((f) => f.id);
	const dimensions = figureIds.length
		? await db
				.select()
				.from(figureDimension)
				.where(inArray(figureDimension.figureId, figureIds))
				.orderBy(asc(figureDimension.name))
		: [];

	const dimensionsOf = Map.groupBy(dimensions, (d) => d.figureId);
	const toFigure = (f: (typeof figures)[number]): Figure => ({
		id: f.id,
		kind: f.kind,
		periodId: f.periodId,
		year: f.year,
		isoDate: f.isoDate,
		value: f.value,
		comment: f.comment,
		dimensions: (dimensionsOf.get(f.id) ?? []).map((d) => ({ name: d.name, value: d.value }))
	});
	const figuresOfPeriod = Map.groupBy(
		figures.filter((f) => f.periodId !== null),
		(f) => f.periodId!
	);
	const baselinesOf = Map.groupBy(
		figures.filter((f) => f.kind === 'baseline'),
		(f) => f.indicatorId
	);
	const periodsOf = Map.groupBy(periods, (p) => p.indicatorId);
	const indicatorsOf = Map.groupBy(indicators, (i) => i.resultId);
	const goalsOf = Map.groupBy(goals, (g) => g.resultId);
	const targetsOf = Map.groupBy(targets, (t) => t.resultId);

	const nodes = new Map<number, Result>(
		results.map((r) => [
			r.id,
			{
				id: r.id,
				parentId: r.parentId,
				level: r.level,
				status: r.status,
				principle: r.principle,
				title: r.title,
				description: r.description,
				aggregationStatus: r.aggregationStatus,
				weight: num(r.weight),
				goals: (goalsOf.get(r.id) ?? []).map((g) => g.goal),
				targets: (targetsOf.get(r.id) ?? []).map((t) => t.target),
				indicators: (indicatorsOf.get(r.id) ?? []).map((i) => ({
					id: i.id,
					measure: i.measure,
					ascending: i.ascending,
					aggregationStatus: i.aggregationStatus,
					title: i.title,
					description: i.description,
					dataSource: i.dataSource,
					weight: num(i.weight),
					baselines: (baselinesOf.get(i.id) ?? []).map(toFigure),
					periods: (periodsOf.get(i.id) ?? []).map((p) => {
						const own = (figuresOfPeriod.get(p.id) ?? []).map(toFigure);
						return {
							id: p.id,
							start: p.start,
							end: p.end,
							targets: own.filter((f) => f.kind === 'target'),
							actuals: own.filter((f) => f.kind === 'actual')
						};
					})
				})),
				children: []
			}
		])
	);
	const roots: Result[] = [];
	for (const r of results) {
		const node = nodes.get(r.id)!;
		const parent = r.parentId === null ? undefined : nodes.get(r.parentId);
		(parent ? parent.children : roots).push(node);
	}
	return {
		results: roots,
		activities: activities.map((a) => ({
			id: a.id,
			resultId: a.resultId,
			title: a.title,
			milestone: a.milestone,
			start: a.start,
			end: a.end,
			done: a.done
		}))
	};
}
