import { locales, type Locale } from '#lib/i18n/index.ts';
import { frameworkShape, type FrameworkValues, type IndicatorValues, type ResultValues } from '../input.ts';
import { indicatorMeasures, resultLevels } from '../schema.ts';
import { isIsoDate } from '../iati/codes.ts';
import type { Place } from '../in-place.ts';
import {
	entriesOf,
	figureColumns,
	header,
	indicatorColumns,
	letterOf,
	resultColumns,
	rowKinds,
	type RowKind
} from './layout.ts';

// The file's rows back into a framework: every cell that cannot be read, and every value the
// framework refuses, is named by its row and column in the file ("row 14, column N (value)").

/** A problem in the file: its row and column (1 and A are the header's), or the whole file. */
export interface SheetProblem {
	row: number | null;
	column: string | null;
	/** The column's letters in this file ("N"). */
	letter: string | null;
	code: string;
	params?: Record<string, string>;
}

export interface SheetReading {
	/** The framework as saving it would leave it, when the file has no problem. */
	values: FrameworkValues | null;
	problems: SheetProblem[];
	/** The row each result, indicator, period and figure was read from, by its key (layout.ts). */
	rows: Map<string, number>;
	/** The file's name of each result and its indicators, depth first (replaceFramework matches by them). */
	names: Place[];
}

/** A cell as read from CSV (text) or XLSX (text, number as written, true/false, a date). */
export type RawCell = string | number | boolean | Date | null | undefined;

/** A cell's text; a CSV writer's formula guard ('=…) is taken off again. */
function textOf(cell: RawCell): string {
	if (cell === null || cell === undefined) return '';
	if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
	if (typeof cell === 'boolean') return cell ? 'yes' : 'no';
	const text = String(cell).trim();
	return /^'[=+\-@\t\r＝＋－＠]/.test(text) ? text.slice(1) : text;
}

const yes = new Set(['yes', 'ja', 'true', '1']);
const no = new Set(['no', 'nej', 'false', '0']);
/** A decimal written with a comma (Swedish spreadsheets) is the same number with a point. */
const decimal = (s: string) => (/^[+-]?\d+,\d+$/.test(s) ? s.replace(',', '.') : s);
const pathPattern = /^[1-9]\d*(\.[1-9]\d*)*$/;
const comparePaths = (a: string, b: string) => {
	const x = a.split('.').map(Number);
	const y = b.split('.').map(Number);
	for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
	return x.length - y.length;
};

type Origin = { row: number; kind: 'result' | 'indicator' | 'period' | 'figure' };

export function readSheet(table: readonly (readonly RawCell[])[]): SheetReading {
	const problems: SheetProblem[] = [];
	const [head = [], ...body] = table;
	const names = head.map((c) => textOf(c).toLowerCase());
	const index = new Map(names.map((n, i) => [n, i]));
	const problem = (
		row: number | null,
		column: string | null,
		code: string,
		params?: Record<string, string>
	) => {
		const at = column === null ? undefined : index.get(column);
		problems.push({
			row,
			column,
			letter: at === undefined ? null : letterOf(at),
			code,
			...(params ? { params } : {})
		});
	};
	const fixed = header(0).filter((c) => !/^(breakdown|category)_/.test(c));
	for (const c of fixed.filter((c) => !index.has(c))) problem(1, null, 'missingColumn', { column: c });
	names.forEach((n, i) => {
		if (n && !fixed.includes(n) && !/^(breakdown|category)_[1-9]\d*$/.test(n))
			problems.push({
				row: 1,
				column: null,
				letter: letterOf(i),
				code: 'unknownColumn',
				params: { column: n }
			});
	});
	const pairs = names.flatMap((n) => (/^breakdown_\d+$/.test(n) ? [n.slice('breakdown_'.length)] : []));
	if (problems.length) return { values: null, problems, rows: new Map(), names: [] };
	if (!body.some((r) => r.some((c) => textOf(c) !== '')))
		return {
			values: null,
			problems: [{ row: null, column: null, letter: null, code: 'noRows' }],
			rows: new Map(),
			names: []
		};

	const origin = new WeakMap<object, Origin>();
	/** Each indicator's number under its result, as the rows give it: the order of the list. */
	const numberOf = new Map<IndicatorValues, number>();
	const results = new Map<string, { node: ResultValues; row: number; cells: string[] }>();
	const indicators = new Map<string, { node: IndicatorValues; row: number; cells: string[] }>();

	body.forEach((raw, i) => {
		const row = i + 2;
		const cell = (c: string) => textOf(raw[index.get(c) ?? -1]);
		if (!raw.some((c) => textOf(c) !== '')) return;
		const own = (columns: string[]) => columns.map(cell);
		const text = (prefix: string, clean = (s: string) => s) =>
			Object.fromEntries(
				locales.flatMap((l) => (cell(`${prefix}_${l}`) ? [[l, clean(cell(`${prefix}_${l}`))]] : []))
			) as Partial<Record<Locale, string>>;
		const flag = (c: string, empty: boolean | null) => {
			const v = cell(c).toLowerCase();
			if (v === '') return empty;
			if (yes.has(v)) return true;
			if (no.has(v)) return false;
			problem(row, c, 'notYesNo', { value: cell(c) });
			return empty;
		};
		const number = (c: string) => {
			const v = decimal(cell(c));
			if (v === '') return null;
			if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v)) problem(row, c, 'notANumber', { value: cell(c) });
			return Number(v);
		};
		const date = (c: string, required: boolean) => {
			const v = cell(c);
			if (v === '' && !required) return null;
			if (!isIsoDate(v)) problem(row, c, 'notADate', { value: v });
			return v;
		};
		/** A row repeating a result's or an indicator's columns must repeat them as they first were. */
		const agrees = (columns: string[], first: { row: number; cells: string[] }) =>
			columns.forEach((c, n) => {
				if (cell(c) !== first.cells[n]) problem(row, c, 'differs', { row: String(first.row) });
			});

		const path = cell('result');
		if (!pathPattern.test(path)) return problem(row, 'result', 'notAPath', { value: path });
		let result = results.get(path);
		if (result) agrees(resultColumns, result);
		else {
			const level = cell('level').toLowerCase();
			if (!(resultLevels as readonly string[]).includes(level))
				problem(row, 'level', 'unknownLevel', { value: cell('level') });
			const goals = cell('goals')
				.split(/[;,]/)
				.map((g) => g.trim())
				.filter(Boolean);
			for (const g of goals.filter((g) => !/^\d{1,2}$/.test(g)))
				problem(row, 'goals', 'notAGoal', { value: g });
			const node: ResultValues = {
				level: level as ResultValues['level'],
				principle: cell('principle') || null,
				title: text('result_title'),
				description: text('result_description'),
				aggregationStatus: flag('result_aggregation', null),
				weight: number('result_weight'),
				goals: goals.map(Number),
				targets: cell('targets')
					.split(/[;,]/)
					.map((t) => t.trim())
					.filter(Boolean),
				indicators: [],
				children: []
			};
			origin.set(node, { row, kind: 'result' });
			results.set(path, (result = { node, row, cells: own(resultColumns) }));
		}

		const n = cell('indicator');
		const below = [
			...indicatorColumns,
			...figureColumns,
			...names.filter((c) => /^(breakdown|category)_/.test(c))
		];
		if (n === '') {
			const stray = below.find((c) => cell(c) !== '');
			if (stray) problem(row, stray, 'noIndicator');
			return;
		}
		if (!/^[1-9]\d{0,2}$/.test(n)) return problem(row, 'indicator', 'notAnIndicator', { value: n });
		const iKey = `${path}/${n}`;
		let ind = indicators.get(iKey);
		if (ind) agrees(indicatorColumns, ind);
		else {
			const measure = cell('measure').toLowerCase();
			if (!(indicatorMeasures as readonly string[]).includes(measure))
				problem(row, 'measure', 'unknownMeasure', { value: cell('measure') });
			const node: IndicatorValues = {
				measure: measure as IndicatorValues['measure'],
				ascending: flag('ascending', true)!,
				aggregationStatus: flag('indicator_aggregation', null),
				title: text('indicator_title'),
				description: text('indicator_description'),
				dataSource: text('data_source'),
				weight: number('indicator_weight'),
				baselines: [],
				periods: []
			};
			origin.set(node, { row, kind: 'indicator' });
			numberOf.set(node, Number(n));
			indicators.set(iKey, (ind = { node, row, cells: own(indicatorColumns) }));
			result.node.indicators.push(node);
		}

		const kind = cell('kind').toLowerCase();
		if (kind === '') {
			const stray = below.slice(indicatorColumns.length).find((c) => cell(c) !== '');
			if (stray) problem(row, 'kind', 'noKind');
			return;
		}
		if (!(rowKinds as readonly string[]).includes(kind))
			return problem(row, 'kind', 'unknownKind', { value: cell('kind') });
		const dimensions = pairs.flatMap((p) => {
			const [name, value] = [cell(`breakdown_${p}`), cell(`category_${p}`)];
			if (!name && !value) return [];
			if (!name || !value) problem(row, name ? `category_${p}` : `breakdown_${p}`, 'halfBreakdown');
			return [{ name, value }];
		});
		const figure = { value: decimal(cell('value')) || null, comment: text('comment'), dimensions };
		origin.set(figure, { row, kind: 'figure' });
		if ((kind as RowKind) === 'baseline') {
			const year = cell('year');
			if (!/^\d{4}$/.test(year)) problem(row, 'year', 'notAYear', { value: year });
			ind.node.baselines.push({ ...figure, year: Number(year), isoDate: date('date', false) });
			origin.set(ind.node.baselines.at(-1)!, { row, kind: 'figure' });
			return;
		}
		const [start, end] = [date('period_start', true), date('period_end', true)];
		let period = ind.node.periods.find((p) => p.start === start && p.end === end);
		if (!period) {
			period = { start: start ?? '', end: end ?? '', targets: [], actuals: [] };
			origin.set(period, { row, kind: 'period' });
			ind.node.periods.push(period);
		}
		if (kind === 'period') {
			if (figure.value !== null || Object.keys(figure.comment).length || dimensions.length)
				problem(row, 'value', 'periodHasNoValue');
		} else (kind === 'target' ? period.targets : period.actuals).push(figure);
	});

	// The tree: "1.2" hangs under "1"; each list in the order of its numbers, whatever the rows'.
	const roots: ResultValues[] = [];
	const pathOf = new Map<ResultValues, string>();
	for (const path of [...results.keys()].toSorted(comparePaths)) {
		const { node, row } = results.get(path)!;
		pathOf.set(node, path);
		node.indicators.sort((a, b) => numberOf.get(a)! - numberOf.get(b)!);
		const parent = path.includes('.') ? results.get(path.slice(0, path.lastIndexOf('.'))) : undefined;
		if (path.includes('.') && !parent) problem(row, 'result', 'noParent', { value: path });
		(parent ? parent.node.children : roots).push(node);
	}
	const values = { results: roots };
	const places: Place[] = [];
	const name = (r: ResultValues) => {
		places.push({ result: pathOf.get(r)!, indicators: r.indicators.map((i) => numberOf.get(i)!) });
		r.children.forEach(name);
	};
	roots.forEach(name);
	const rows = new Map<string, number>();
	for (const e of entriesOf(values, places)) {
		const at = origin.get(e.node);
		if (at) rows.set(e.key, at.row);
	}
	if (problems.length) return { values: null, problems, rows, names: places };

	const parsed = frameworkShape.safeParse(values);
	if (parsed.success) return { values: parsed.data, problems, rows, names: places };
	for (const issue of parsed.error.issues) {
		const { row, column } = locate(values, origin, issue.path);
		if (problems.some((p) => p.row === row && p.column === column)) continue;
		const code = /^[A-Za-z][A-Za-z0-9]*$/.test(issue.message) ? issue.message : 'invalid';
		problem(row, column, code);
	}
	return { values: null, problems, rows, names: places };
}

/** Where in the file the value at a path of the framework was read from. */
function locate(
	values: object,
	origin: WeakMap<object, Origin>,
	path: readonly PropertyKey[]
): { row: number | null; column: string | null } {
	let node: unknown = values;
	let found: Origin | undefined;
	let rest: string[] = [];
	for (const key of path) {
		if (node === null || typeof node !== 'object') break;
		node = (node as Record<PropertyKey, unknown>)[key];
		rest.push(String(key));
		const at = node !== null && typeof node === 'object' ? origin.get(node) : undefined;
		if (at) [found, rest] = [at, []];
	}
	if (!found) return { row: null, column: null };
	const [field = '', lang] = rest;
	const l = locales.includes(lang as Locale) ? lang : locales[0];
	const columns: Record<Origin['kind'], Record<string, string>> = {
		result: {
			'': 'result',
			children: 'result',
			indicators: 'indicator',
			title: `result_title_${l}`,
			description: `result_description_${l}`,
			aggregationStatus: 'result_aggregation',
			weight: 'result_weight'
		},
		indicator: {
			'': 'indicator',
			baselines: 'kind',
			periods: 'kind',
			title: `indicator_title_${l}`,
			description: `indicator_description_${l}`,
			dataSource: `data_source_${l}`,
			aggregationStatus: 'indicator_aggregation',
			weight: 'indicator_weight'
		},
		period: {
			'': 'period_start',
			start: 'period_start',
			end: 'period_end',
			targets: 'kind',
			actuals: 'kind'
		},
		figure: { '': 'value', comment: `comment_${l}`, dimensions: 'breakdown_1', isoDate: 'date' }
	};
	return { row: found.row, column: columns[found.kind][field] ?? field };
}
