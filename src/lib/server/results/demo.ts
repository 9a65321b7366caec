import { inArray } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { readDataFile } from '../kernel/data-files.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { runSystemChange } from '../kernel/write.ts';
import { partnership } from '../partnerships/schema.ts';
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
	type ResultLevel
} from './schema.ts';

// The shape of data/demo/results.json: each demo partnership's tree of results, written as it
// reads (children inside their parent, periods as years, breakdowns beside their total).

interface FigureFile {
	value: string | null;
	comment?: LocalizedText;
	/** The figure broken down, e.g. [{ dimensions: { sex: 'female' }, value: '36' }, …]. */
	breakdown?: { dimensions: Record<string, string>; value: string }[];
}

interface IndicatorFile {
	measure: IndicatorMeasure;
	ascending: boolean;
	title: LocalizedText;
	description?: LocalizedText;
	dataSource: LocalizedText;
	weight?: number;
	baseline: FigureFile & { year: number };
	/** Calendar years: a period runs from 1 January to 31 December. */
	periods: { year: number; target: FigureFile; actual: FigureFile }[];
}

interface ActivityFile {
	title: LocalizedText;
	milestone?: boolean;
	start?: string;
	end: string;
	done: boolean;
}

interface ResultFile {
	level: ResultLevel;
	principle: string;
	title: LocalizedText;
	description?: LocalizedText;
	weight?: number;
	goals: number[];
	targets: string[];
	indicators: IndicatorFile[];
	activities?: ActivityFile[];
	children: ResultFile[];
}

interface ResultsFile {
	frameworks: { partnership: string; results: ResultFile[] }[];
}

/** Ids a multi-row insert returned, in the order of its rows (serial ids rise with the rows). */
const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

/**
 * The demo partnerships' frameworks (data/demo/results.json), only for a demo partnership that
 * has no results yet, all in one transaction. Each table gets one insert (results one per level
 * of the tree), however many partnerships and figures there are.
 * Returns how many frameworks were added.
 */
export async function addDemoResults(db: Database): Promise<number> {
	const file = readDataFile<ResultsFile>('demo', 'results.json');
	return runSystemChange(db, async (tx) => {
		const found = await tx
			.select({ id: partnership.id, slug: partnership.slug })
			.from(partnership)
			.where(
				inArray(
					partnership.slug,
					file.frameworks.map((f) => f.partnership)
				)
			);
		// A partnership with any result or activity has a framework of its own: left alone.
		const partnershipIds = found.map((p) => p.id);
		const framed = new Set(
			partnershipIds.length
				? [
						...(await tx
							.selectDistinct({ id: result.partnershipId })
							.from(result)
							.where(inArray(result.partnershipId, partnershipIds))),
						...(await tx
							.selectDistinct({ id: resultActivity.partnershipId })
							.from(resultActivity)
							.where(inArray(resultActivity.partnershipId, partnershipIds)))
					].map((r) => r.id)
				: []
		);
		const idOf = new Map(found.filter((p) => !framed.has(p.id)).map((p) => [p.slug, p.id]));
		const frameworks = file.frameworks.filter((f) => idOf.has(f.partnership));
		if (frameworks.length === 0) return { result: 0, audit: [], public: false };

		// Results, a level of the tree at a time: a child's insert needs its parent's id.
		const resultId = new Map<ResultFile, number>();
		const partnershipOf = new Map<ResultFile, number>();
		let level = frameworks.flatMap((f) =>
			f.results.map((r, position) => ({
				node: r,
				position,
				parent: null as ResultFile | null,
				p: idOf.get(f.partnership)!
			}))
		);
		while (level.length) {
			const rows = await tx
				.insert(result)
				.values(
					level.map(({ node, position, parent, p }) => ({
						partnershipId: p,
						parentId: parent ? resultId.get(parent)! : null,
						level: node.level,
						principle: node.principle,
						title: node.title,
						description: node.description ?? {},
						weight: node.weight === undefined ? null : String(node.weight),
						position
					}))
				)
				.returning({ id: result.id });
			ids(rows).forEach((id, i) => {
				resultId.set(level[i]!.node, id);
				partnershipOf.set(level[i]!.node, level[i]!.p);
			});
			level = level.flatMap(({ node, p }) =>
				node.children.map((c, position) => ({ node: c, position, parent: node, p }))
			);
		}
		const results = [...resultId.keys()];

		const goals = results.flatMap((r) => r.goals.map((goal) => ({ resultId: resultId.get(r)!, goal })));
		if (goals.length) await tx.insert(resultGoal).values(goals);
		const targets = results.flatMap((r) =>
			r.targets.map((target) => ({ resultId: resultId.get(r)!, target }))
		);
		if (targets.length) await tx.insert(resultTarget).values(targets);

		const indicators = results.flatMap((r) => r.indicators.map((i, position) => ({ i, r, position })));
		const indicatorId = new Map<IndicatorFile, number>();
		if (indicators.length) {
			const rows = await tx
				.insert(indicator)
				.values(
					indicators.map(({ i, r, position }) => ({
						resultId: resultId.get(r)!,
						measure: i.measure,
						ascending: i.ascending,
						title: i.title,
						description: i.description ?? {},
						dataSource: i.dataSource,
						weight: i.weight === undefined ? null : String(i.weight),
						position
					}))
				)
				.returning({ id: indicator.id });
			ids(rows).forEach((id, n) => indicatorId.set(indicators[n]!.i, id));
		}

		const periods = indicators.flatMap(({ i }) => i.periods.map((period) => ({ i, period })));
		const periodIds = periods.length
			? ids(
					await tx
						.insert(indicatorPeriod)
						.values(
							periods.map(({ i, period }) => ({
								indicatorId: indicatorId.get(i)!,
								start: `${period.year}-01-01`,
								end: `${period.year}-12-31`
							}))
						)
						.returning({ id: indicatorPeriod.id })
				)
			: [];

		// Every figure: its total, then its breakdowns, each a row of its own with its dimensions.
		type Row = typeof indicatorFigure.$inferInsert;
		const figures: { row: Row; dimensions: Record<string, string> }[] = [];
		const add = (f: FigureFile, base: Omit<Row, 'value' | 'comment' | 'position'>) => {
			figures.push({
				row: { ...base, value: f.value, comment: f.comment ?? {}, position: 0 },
				dimensions: {}
			});
			(f.breakdown ?? []).forEach((b, n) =>
				figures.push({ row: { ...base, value: b.value, position: n + 1 }, dimensions: b.dimensions })
			);
		};
		for (const { i } of indicators) {
			const baseline = i.baseline;
			add(baseline, {
				indicatorId: indicatorId.get(i)!,
				kind: 'baseline',
				year: baseline.year,
				isoDate: `${baseline.year}-12-31`
			});
		}
		periods.forEach(({ i, period }, n) => {
			for (const kind of ['target', 'actual'] as const satisfies FigureKind[])
				add(period[kind], { indicatorId: indicatorId.get(i)!, kind, periodId: periodIds[n]! });
		});
		const figureIds = figures.length
			? ids(
					await tx
						.insert(indicatorFigure)
						.values(figures.map((f) => f.row))
						.returning({ id: indicatorFigure.id })
				)
			: [];
		const dimensions = figures.flatMap((f, n) =>
			Object.entries(f.dimensions).map(([name, value]) => ({ figureId: figureIds[n]!, name, value }))
		);
		if (dimensions.length) await tx.insert(figureDimension).values(dimensions);

		const activities = results.flatMap((r) =>
			(r.activities ?? []).map((a) => ({
				partnershipId: partnershipOf.get(r)!,
				resultId: resultId.get(r)!,
				title: a.title,
				milestone: a.milestone ?? false,
				start: a.start ?? null,
				end: a.end,
				done: a.done
			}))
		);
		if (activities.length) await tx.insert(resultActivity).values(activities);

		const slugs = frameworks.map((f) => f.partnership);
		return {
			result: frameworks.length,
			audit: { action: 'results.demo', after: { slugs } },
			public: true
		};
	});
}
