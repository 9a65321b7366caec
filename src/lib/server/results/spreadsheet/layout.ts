import { locales, type Locale } from '#lib/i18n/index.ts';
import type { FrameworkValues, IndicatorValues, ResultValues } from '../input.ts';
import type { FigureKind } from '../schema.ts';
import type { Place } from '../in-place.ts';

// A framework as one flat table (decision 17): a row per figure, each row naming its result by
// its place in the tree ("1.2" is the second result under the first) and its indicator by number
// within that result, and repeating their texts so that any row read alone says what it is. A
// result without indicators, an indicator without figures and a period without figures get a row
// of their own. Column names are the same in both languages (like the open data's CSV): the
// import page explains each one.

export type Cell = string | number | null;
export type Record_ = Record<string, Cell>;

const each = (prefix: string) => locales.map((l) => `${prefix}_${l}`);

/** A result's columns, an indicator's, and a figure's (the breakdown pairs follow these). */
export const resultColumns = [
	'result',
	'level',
	...each('result_title'),
	'principle',
	'goals',
	'targets',
	...each('result_description'),
	'result_aggregation',
	'result_weight'
];
export const indicatorColumns = [
	'indicator',
	...each('indicator_title'),
	'measure',
	'ascending',
	...each('indicator_description'),
	...each('data_source'),
	'indicator_aggregation',
	'indicator_weight'
];
export const figureColumns = [
	'kind',
	'year',
	'date',
	'period_start',
	'period_end',
	'value',
	...each('comment')
];

/** The kinds of row below an indicator: a figure, or a period that has none yet. */
export const rowKinds = ['baseline', 'target', 'actual', 'period'] as const;
export type RowKind = (typeof rowKinds)[number];

/** Breakdown pairs: `breakdown_1`, `category_1`, … as many as the widest figure needs (two at least). */
export const breakdownColumns = (n: number) =>
	Array.from({ length: Math.max(2, n) }, (_, i) => [`breakdown_${i + 1}`, `category_${i + 1}`]).flat();

/** The header of a file whose widest figure has `breakdowns` dimensions. */
export const header = (breakdowns: number) => [
	...resultColumns.slice(0, 4),
	...indicatorColumns.slice(0, 3),
	...figureColumns,
	...breakdownColumns(breakdowns),
	...resultColumns.slice(4),
	...indicatorColumns.slice(3)
];

/** Spreadsheet letters of a column: 0 → A, 26 → AA. */
export function letterOf(index: number): string {
	let out = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
		out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
	return out;
}

export const yesNo = (b: boolean | null): Cell => (b === null ? null : b ? 'yes' : 'no');

/** A value as a number cell when the number writes back the same ("41", "2.5"), else as text ("2.50"). */
export const valueCell = (v: string | null): Cell =>
	v === null ? null : String(Number(v)) === v && v.trim() !== '' ? Number(v) : v;

const texts = (prefix: string, t: Partial<Record<Locale, string>>): Record_ =>
	Object.fromEntries(locales.map((l) => [`${prefix}_${l}`, t[l] ?? null]));

export function resultCells(path: string, r: ResultValues): Record_ {
	return {
		result: path,
		level: r.level,
		...texts('result_title', r.title),
		principle: r.principle,
		goals: r.goals.join('; ') || null,
		targets: r.targets.join('; ') || null,
		...texts('result_description', r.description),
		result_aggregation: yesNo(r.aggregationStatus),
		result_weight: r.weight
	};
}

export function indicatorCells(n: number, i: IndicatorValues): Record_ {
	return {
		indicator: n,
		...texts('indicator_title', i.title),
		measure: i.measure,
		ascending: yesNo(i.ascending),
		...texts('indicator_description', i.description),
		...texts('data_source', i.dataSource),
		indicator_aggregation: yesNo(i.aggregationStatus),
		indicator_weight: i.weight
	};
}

type FigureValues = IndicatorValues['periods'][number]['targets'][number];
type BaselineValues = IndicatorValues['baselines'][number];

export function figureCells(f: FigureValues & Partial<Pick<BaselineValues, 'isoDate'>>): Record_ {
	return {
		value: valueCell(f.value),
		...texts('comment', f.comment),
		date: f.isoDate ?? null,
		...Object.fromEntries(
			f.dimensions.flatMap((d, i) => [
				[`breakdown_${i + 1}`, d.name],
				[`category_${i + 1}`, d.value]
			])
		)
	};
}

/** One thing of a framework with the key that finds it again in another version of it. */
export interface Entry {
	key: string;
	/** The key of what it belongs to (none for a result at the top). */
	parent: string | null;
	what: 'result' | 'indicator' | 'period' | 'figure';
	node: object;
	/** Its columns as a file writes them (what a change compares). */
	cells: Record_;
	result: string;
	indicator: number | null;
	kind: RowKind | null;
	/** The period's start and end, or the baseline's year. */
	start: string | null;
	end: string | null;
	year: number | null;
	dimensions: { name: string; value: string }[];
	title: Partial<Record<Locale, string>>;
}

const dimensionKey = (ds: { name: string; value: string }[]) =>
	ds
		.map((d) => `${d.name}=${d.value}`)
		.toSorted()
		.join('&');

/**
 * Every result, indicator, period and figure, parents first. A figure is known by its kind, its
 * period (or baseline year), its breakdown and which of such it is: an export read back finds
 * each figure under the same key, and a changed value is a change, not a removal and an addition.
 */
export function entriesOf(values: Pick<FrameworkValues, 'results'>, names?: readonly Place[]): Entry[] {
	const out: Entry[] = [];
	const none = { indicator: null, kind: null, start: null, end: null, year: null, dimensions: [] };
	let k = 0;
	const walk = (rs: readonly ResultValues[], prefix: string, parent: string | null) =>
		rs.forEach((r, index) => {
			// A file's own names when it gives them (a left-out "1.2" does not make "1.3" the new 1.2).
			const named = names?.[k++];
			const path = named?.result ?? (prefix ? `${prefix}.${index + 1}` : String(index + 1));
			const rKey = `r${path}`;
			const cells = resultCells(path, r);
			out.push({ ...none, key: rKey, parent, what: 'result', node: r, cells, result: path, title: r.title });
			r.indicators.forEach((ind, i) => {
				const n = named?.indicators[i] ?? i + 1;
				const iKey = `${rKey}/i${n}`;
				const at = { result: path, indicator: n, title: ind.title };
				out.push({
					...none,
					...at,
					key: iKey,
					parent: rKey,
					what: 'indicator',
					node: ind,
					cells: indicatorCells(n, ind)
				});
				const seen = new Map<string, number>();
				const figure = (
					f: FigureValues,
					kind: FigureKind,
					place: string,
					parentKey: string,
					extra: Partial<Entry>
				) => {
					const base = `${parentKey}/${kind}:${place}|${dimensionKey(f.dimensions)}`;
					const nth = (seen.get(base) ?? 0) + 1;
					seen.set(base, nth);
					out.push({
						...none,
						...at,
						...extra,
						key: `${base}#${nth}`,
						parent: parentKey,
						what: 'figure',
						node: f,
						kind,
						dimensions: f.dimensions,
						cells: figureCells(f)
					});
				};
				for (const b of ind.baselines) figure(b, 'baseline', String(b.year), iKey, { year: b.year });
				for (const p of ind.periods) {
					const pKey = `${iKey}/p${p.start}..${p.end}`;
					const period = { start: p.start, end: p.end };
					out.push({
						...none,
						...at,
						...period,
						key: pKey,
						parent: iKey,
						what: 'period',
						node: p,
						kind: 'period',
						cells: {}
					});
					for (const f of p.targets) figure(f, 'target', '', pKey, period);
					for (const f of p.actuals) figure(f, 'actual', '', pKey, period);
				}
			});
			walk(r.children, path, rKey);
		});
	walk(values.results, '', null);
	return out;
}

/** The framework as the file's rows, header first. */
export function sheetOf(values: FrameworkValues): Cell[][] {
	const rows: Record_[] = [];
	let widest = 0;
	const walk = (rs: readonly ResultValues[], prefix: string) =>
		rs.forEach((r, index) => {
			const path = prefix ? `${prefix}.${index + 1}` : String(index + 1);
			const result = resultCells(path, r);
			if (!r.indicators.length) rows.push(result);
			r.indicators.forEach((ind, i) => {
				const base = { ...result, ...indicatorCells(i + 1, ind) };
				const before = rows.length;
				const figure = (kind: FigureKind, f: FigureValues, extra: Record_) => {
					widest = Math.max(widest, f.dimensions.length);
					rows.push({ ...base, kind, ...extra, ...figureCells(f) });
				};
				for (const b of ind.baselines) figure('baseline', b, { year: b.year, date: b.isoDate });
				for (const p of ind.periods) {
					const period = { period_start: p.start, period_end: p.end };
					if (!p.targets.length && !p.actuals.length) rows.push({ ...base, kind: 'period', ...period });
					for (const f of p.targets) figure('target', f, period);
					for (const f of p.actuals) figure('actual', f, period);
				}
				if (rows.length === before) rows.push(base);
			});
			walk(r.children, path);
		});
	walk(values.results, '');
	const columns = header(widest);
	return [columns, ...rows.map((row) => columns.map((c) => row[c] ?? null))];
}
