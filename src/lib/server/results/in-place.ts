import { count, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Transaction } from '../kernel/database.ts';
import { frameworkValues, type FrameworkValues, type IndicatorValues, type ResultValues } from './input.ts';
import type { Framework, Result } from './queries.ts';
import {
	figureDimension,
	indicator,
	indicatorFigure,
	indicatorPeriod,
	result,
	resultActivity,
	resultGoal,
	resultTarget
} from './schema.ts';

// replaceFramework's writing (commands.ts): the incoming framework over the stored one, matched by
// place, so that a routine edit (a value changed in the spreadsheet, the same IATI file again)
// keeps every result's, indicator's and period's id and with them whatever points at one.

/**
 * How the source names a result ("1.2") and its indicators (1, 2 …), depth first. By default the
 * place in the tree; a spreadsheet gives the names its rows carry, so that a row left out is a
 * removal and not a renumbering of the rows after it.
 */
export interface Place {
	result: string;
	indicators: number[];
}

/** Every result of the tree depth first, with its path in the values, its parent's index and its place. */
export function flatten(results: readonly ResultValues[]) {
	type Flat = {
		node: ResultValues;
		path: PropertyKey[];
		depth: number;
		parent: number | null;
		place: string;
	};
	const flat: Flat[] = [];
	const walk = (
		r: ResultValues,
		path: PropertyKey[],
		depth: number,
		parent: number | null,
		place: string
	) => {
		const at = flat.push({ node: r, path, depth, parent, place }) - 1;
		r.children.forEach((c, i) => walk(c, [...path, 'children', i], depth + 1, at, `${place}.${i + 1}`));
	};
	results.forEach((r, i) => walk(r, ['results', i], 0, null, String(i + 1)));
	return flat;
}

/** Inserts rows a thousand at a time (PostgreSQL takes at most 65,535 values a statement). */
export async function inChunks<T, R>(rows: T[], insert: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < rows.length; i += 1000) out.push(...(await insert(rows.slice(i, i + 1000))));
	return out;
}

/** A stored result with its ids and values, and its indicators' (numbered 1, 2 … in their order). */
export interface Stored {
	id: number;
	values: ResultValues;
	indicators: { id: number; values: IndicatorValues; periods: Map<string, number> }[];
}

export const periodKey = (p: { start: string; end: string }) => `${p.start}/${p.end}`;

/** The stored framework by place in its tree ("1", "1.2" …). */
export function storedByPlace(framework: Framework): Map<string, Stored> {
	const out = new Map<string, Stored>();
	const walk = (rs: readonly Result[], vs: readonly ResultValues[], prefix: string) =>
		rs.forEach((r, i) => {
			const place = prefix ? `${prefix}.${i + 1}` : String(i + 1);
			const values = vs[i]!;
			out.set(place, {
				id: r.id,
				values,
				indicators: r.indicators.map((ind, j) => ({
					id: ind.id,
					values: values.indicators[j]!,
					periods: new Map(ind.periods.map((p) => [periodKey(p), p.id]))
				}))
			});
			walk(r.children, values.children, place);
		});
	walk(framework.results, frameworkValues(framework).results, '');
	return out;
}

/** The incoming results depth first, each under the name its source gives it. */
export function placed(values: FrameworkValues, names: readonly Place[] | undefined) {
	return flatten(values.results).map((r, k) => ({
		...r,
		place: names?.[k]?.result ?? r.place,
		numbers: r.node.indicators.map((_, j) => names?.[k]?.indicators[j] ?? j + 1)
	}));
}
export type Placed = ReturnType<typeof placed>[number];

/** An upsert's update: the incoming row's values, written only where one of them differs. */
function fromIncoming<T extends Record<string, PgColumn>>(columns: T) {
	const excluded = (c: PgColumn) => sql`excluded.${sql.identifier(c.name)}`;
	const all = Object.values(columns);
	return {
		set: Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, excluded(c)])) as {
			[K in keyof T]: SQL;
		},
		setWhere: sql`(${sql.join(all, sql`, `)}) is distinct from (${sql.join(all.map(excluded), sql`, `)})`
	};
}
const resultUpdate = fromIncoming({
	level: result.level,
	principle: result.principle,
	title: result.title,
	description: result.description,
	aggregationStatus: result.aggregationStatus,
	weight: result.weight,
	position: result.position
});
const indicatorUpdate = fromIncoming({
	measure: indicator.measure,
	ascending: indicator.ascending,
	aggregationStatus: indicator.aggregationStatus,
	title: indicator.title,
	description: indicator.description,
	dataSource: indicator.dataSource,
	weight: indicator.weight,
	position: indicator.position
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes the incoming framework over the stored one, in place: a result at a stored place keeps its
 * id and row (whatever changed in it, its level too: it is the same line of the plan), an indicator
 * with a stored number under it keeps its id, a period with the same dates keeps its id (a report's
 * form names it); figures are written anew only for indicators whose figures changed. A fixed number
 * of statements per table and tree level, however large the framework.
 */
export async function writeInPlace(
	tx: Transaction,
	partnershipId: number,
	incoming: readonly Placed[],
	stored: Map<string, Stored>
) {
	const kept = incoming.map((r) => stored.get(r.place));
	const names = new Set(incoming.map((r) => r.place));
	const removed = [...stored].flatMap(([place, s]) => (names.has(place) ? [] : [s.id]));
	let unlinked = 0;
	if (removed.length) {
		const [linked] = await tx
			.select({ n: count() })
			.from(resultActivity)
			.where(inArray(resultActivity.resultId, removed));
		unlinked = linked?.n ?? 0;
		await tx.delete(result).where(inArray(result.id, removed));
	}

	// Parents before children, so that a new result's parent has its id; an unchanged row is not written.
	const ids = kept.map((s) => s?.id ?? 0);
	for (let depth = 0; incoming.some((r) => r.depth === depth); depth++) {
		const level = incoming.flatMap((r, position) => (r.depth === depth ? [{ ...r, position }] : []));
		const rows = await tx
			.insert(result)
			.values(
				level.map(({ node, parent, position }) => ({
					...(kept[position] ? { id: kept[position].id } : {}),
					partnershipId,
					parentId: parent === null ? null : ids[parent]!,
					level: node.level,
					principle: node.principle,
					title: node.title,
					description: node.description,
					aggregationStatus: node.aggregationStatus,
					weight: node.weight === null ? null : String(node.weight),
					position
				}))
			)
			.onConflictDoUpdate({
				target: result.id,
				set: { ...resultUpdate.set, updatedAt: sql`now()` },
				setWhere: resultUpdate.setWhere
			})
			.returning({ id: result.id, position: result.position });
		for (const r of rows) ids[r.position] = r.id;
	}

	const retag = incoming.flatMap((r, k) => {
		const was = kept[k]?.values;
		return was && same([was.goals, was.targets], [r.node.goals, r.node.targets]) ? [] : [k];
	});
	const retagKept = retag.flatMap((k) => (kept[k] ? [kept[k].id] : []));
	if (retagKept.length) {
		await tx.delete(resultGoal).where(inArray(resultGoal.resultId, retagKept));
		await tx.delete(resultTarget).where(inArray(resultTarget.resultId, retagKept));
	}
	const goals = retag.flatMap((k) => incoming[k]!.node.goals.map((goal) => ({ resultId: ids[k]!, goal })));
	const targets = retag.flatMap((k) =>
		incoming[k]!.node.targets.map((target) => ({ resultId: ids[k]!, target }))
	);
	if (goals.length) await tx.insert(resultGoal).values(goals);
	if (targets.length) await tx.insert(resultTarget).values(targets);

	const indicators = incoming.flatMap((r, k) =>
		r.node.indicators.map((ind, j) => ({
			ind,
			resultId: ids[k]!,
			was: kept[k]?.indicators[r.numbers[j]! - 1]
		}))
	);
	const goneIndicators = incoming.flatMap((r, k) =>
		(kept[k]?.indicators ?? []).flatMap((ind, j) => (r.numbers.includes(j + 1) ? [] : [ind.id]))
	);
	if (goneIndicators.length) await tx.delete(indicator).where(inArray(indicator.id, goneIndicators));
	const indicatorIds = indicators.map(({ was }) => was?.id ?? 0);
	const written = await inChunks(
		indicators.map(({ ind, resultId, was }, position) => ({
			...(was ? { id: was.id } : {}),
			resultId,
			measure: ind.measure,
			ascending: ind.ascending,
			aggregationStatus: ind.aggregationStatus,
			title: ind.title,
			description: ind.description,
			dataSource: ind.dataSource,
			weight: ind.weight === null ? null : String(ind.weight),
			position
		})),
		(chunk) =>
			tx
				.insert(indicator)
				.values(chunk)
				.onConflictDoUpdate({ target: indicator.id, ...indicatorUpdate })
				.returning({ id: indicator.id, position: indicator.position })
	);
	for (const r of written) indicatorIds[r.position] = r.id;

	// Periods and figures only where an indicator's figures changed.
	const refigure = indicators.flatMap(({ ind, was }, n) =>
		was && same([was.values.baselines, was.values.periods], [ind.baselines, ind.periods]) ? [] : [n]
	);
	const refigureKept = refigure.flatMap((n) => (indicators[n]!.was ? [indicatorIds[n]!] : []));
	if (refigureKept.length)
		await tx.delete(indicatorFigure).where(inArray(indicatorFigure.indicatorId, refigureKept));
	const periodIds = new Map<string, number>();
	const gonePeriods: number[] = [];
	const newPeriods: (typeof indicatorPeriod.$inferInsert)[] = [];
	for (const n of refigure) {
		const { ind, was } = indicators[n]!;
		const indicatorId = indicatorIds[n]!;
		const wanted = new Set(ind.periods.map(periodKey));
		for (const [key, id] of was?.periods ?? [])
			if (wanted.has(key)) periodIds.set(`${indicatorId}/${key}`, id);
			else gonePeriods.push(id);
		for (const p of ind.periods)
			if (!was?.periods.has(periodKey(p))) newPeriods.push({ indicatorId, start: p.start, end: p.end });
	}
	if (gonePeriods.length) await tx.delete(indicatorPeriod).where(inArray(indicatorPeriod.id, gonePeriods));
	const insertedPeriods = await inChunks(newPeriods, (chunk) =>
		tx.insert(indicatorPeriod).values(chunk).returning({
			id: indicatorPeriod.id,
			indicatorId: indicatorPeriod.indicatorId,
			start: indicatorPeriod.start,
			end: indicatorPeriod.end
		})
	);
	for (const p of insertedPeriods) periodIds.set(`${p.indicatorId}/${periodKey(p)}`, p.id);

	// A figure's position counts within its indicator: the key that finds its id again.
	type Dims = { name: string; value: string }[];
	const figures: (typeof indicatorFigure.$inferInsert & { position: number })[] = [];
	const dimsOf = new Map<string, Dims>();
	for (const n of refigure) {
		const { ind } = indicators[n]!;
		const indicatorId = indicatorIds[n]!;
		let position = 0;
		const add = (row: Omit<typeof indicatorFigure.$inferInsert, 'indicatorId' | 'position'>, dims: Dims) => {
			figures.push({ ...row, indicatorId, position });
			dimsOf.set(`${indicatorId}/${position++}`, dims);
		};
		for (const b of ind.baselines)
			add(
				{ kind: 'baseline', year: b.year, isoDate: b.isoDate, value: b.value, comment: b.comment },
				b.dimensions
			);
		for (const p of ind.periods) {
			const periodId = periodIds.get(`${indicatorId}/${periodKey(p)}`)!;
			for (const f of p.targets)
				add({ kind: 'target', periodId, value: f.value, comment: f.comment }, f.dimensions);
			for (const f of p.actuals)
				add({ kind: 'actual', periodId, value: f.value, comment: f.comment }, f.dimensions);
		}
	}
	const figureIds = await inChunks(figures, (chunk) =>
		tx.insert(indicatorFigure).values(chunk).returning({
			id: indicatorFigure.id,
			indicatorId: indicatorFigure.indicatorId,
			position: indicatorFigure.position
		})
	);
	const dimensions = figureIds.flatMap((f) =>
		(dimsOf.get(`${f.indicatorId}/${f.position}`) ?? []).map((d) => ({ figureId: f.id, ...d }))
	);
	await inChunks(dimensions, (chunk) =>
		tx.insert(figureDimension).values(chunk).returning({ id: figureDimension.figureId })
	);
	const keptCount = kept.filter(Boolean).length;
	return {
		results: incoming.length,
		indicators: indicators.length,
		kept: keptCount,
		added: incoming.length - keptCount,
		removed: removed.length,
		unlinkedActivities: unlinked
	};
}
