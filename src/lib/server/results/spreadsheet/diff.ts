import { createHash } from 'node:crypto';
import type { FrameworkValues } from '../input.ts';
import type { Place } from '../in-place.ts';
import { entriesOf, type Entry } from './layout.ts';
import type { SheetProblem } from './read.ts';

// What saving a file would change: each result, indicator, period and figure added or removed,
// and each column of one that changed (old → new), with where it is in the file: its row in a
// spreadsheet, its element in an IATI file. Both sources preview in this one shape (`Preview`).

/** A problem in an uploaded file, where it is: a spreadsheet's row and column, or an IATI file's element and line. */
export interface PreviewProblem extends SheetProblem {
	/** The element's place in an IATI file ("result[2]/indicator[1]/@measure"); null in a spreadsheet. */
	element: string | null;
	/** The line in an IATI file, when the reader knows it. */
	line: number | null;
}

/** Where each result, indicator, period and figure (by its key, layout.ts) was read in the file. */
export interface Spots {
	rows?: ReadonlyMap<string, number>;
	elements?: ReadonlyMap<string, string>;
}

/** What an upload would do, before anything is saved: the same for a spreadsheet and an IATI file. */
export interface Preview {
	source: 'spreadsheet' | 'iati';
	problems: PreviewProblem[];
	/** What the file holds that the framework keeps nothing of (IATI: locations, other languages …). */
	leftOut: PreviewProblem[];
	/** An IATI file's activities (its identifier and number of results), to choose from when several. */
	activities: { identifier: string; results: number }[];
	/** The position (1-based) of the IATI activity the preview is of; null for a spreadsheet, or when one must be chosen. */
	activity: number | null;
	/** What saving would change, the top of each added or removed branch once. */
	changes: Change[];
	/** The stored framework's fingerprint, for the apply. */
	version: string;
	/** The file (base64), to save it or to choose its activity; null when there is nothing to do with it. */
	sheet: string | null;
}

/** A spreadsheet's problem in the shared shape. */
export const inSheet = (p: SheetProblem): PreviewProblem => ({ ...p, element: null, line: null });
/** An IATI file's problem in the shared shape. */
export const inFile = (p: {
	path: string;
	line?: number;
	code: string;
	params?: Record<string, string>;
}): PreviewProblem => ({
	row: null,
	column: null,
	letter: null,
	element: p.path === 'file' ? null : p.path,
	line: p.line ?? null,
	code: p.code,
	...(p.params ? { params: p.params } : {})
});

export interface Change {
	/** What it is and what it belongs to (layout.ts `entriesOf`). */
	key: string;
	parent: string | null;
	change: 'added' | 'removed' | 'changed';
	what: Entry['what'];
	result: string;
	indicator: number | null;
	kind: Entry['kind'];
	start: string | null;
	end: string | null;
	year: number | null;
	dimensions: { name: string; value: string }[];
	/** The indicator's title (or the result's), to tell which it is. */
	title: Entry['title'];
	/** The column that changed (for a change), else null. */
	column: string | null;
	before: string | null;
	after: string | null;
	/** Its row in the file; none for something removed. */
	row: number | null;
	/** Its element in an IATI file; none for something removed, or in a spreadsheet. */
	element: string | null;
}

const shown = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

/** Every difference between the stored framework and the file's, the file's order first. */
export function changesOf(
	stored: FrameworkValues,
	read: FrameworkValues,
	spots: Spots,
	names?: readonly Place[]
): Change[] {
	const before = new Map(entriesOf(stored).map((e) => [e.key, e]));
	const after = entriesOf(read, names);
	const afterKeys = new Set(after.map((e) => e.key));
	const describe = (e: Entry, change: Change['change'], rest: Partial<Change> = {}): Change => ({
		key: e.key,
		parent: e.parent,
		change,
		what: e.what,
		result: e.result,
		indicator: e.indicator,
		kind: e.kind,
		start: e.start,
		end: e.end,
		year: e.year,
		dimensions: e.dimensions,
		title: e.title,
		column: null,
		before: null,
		after: null,
		row: spots.rows?.get(e.key) ?? null,
		element: spots.elements?.get(e.key) ?? null,
		...rest
	});
	const out: Change[] = [];
	for (const e of after) {
		const old = before.get(e.key);
		if (!old) {
			out.push(describe(e, 'added'));
			continue;
		}
		for (const column of new Set([...Object.keys(old.cells), ...Object.keys(e.cells)])) {
			const [was, now] = [shown(old.cells[column]), shown(e.cells[column])];
			if (was !== now) out.push(describe(e, 'changed', { column, before: was, after: now }));
		}
	}
	for (const e of before.values())
		if (!afterKeys.has(e.key)) out.push(describe(e, 'removed', { row: null, element: null }));
	return out;
}

/** Only the top of each added or removed branch: a removed result says so once, not per figure. */
export function shownChanges(changes: readonly Change[]): Change[] {
	const branch = new Set(changes.filter((c) => c.change !== 'changed').map((c) => `${c.change} ${c.key}`));
	return changes.filter((c) => c.change === 'changed' || !branch.has(`${c.change} ${c.parent}`));
}

/**
 * A year whose report is sent or approved is locked: a figure of a period ending in it may not be
 * added, changed or removed (reports/queries.ts `lockedYears`). Each such change is refused where it is.
 */
export function lockedProblems(changes: readonly Change[], locked: readonly number[]): PreviewProblem[] {
	const years = new Set(locked);
	return changes
		.filter(
			(c) => c.what === 'figure' && c.kind !== 'baseline' && c.end && years.has(Number(c.end.slice(0, 4)))
		)
		.map((c) => ({
			row: c.row,
			column: c.column ?? (c.row === null ? null : 'kind'),
			letter: null,
			element: c.element,
			line: null,
			code: c.change === 'removed' ? 'lockedYearRemoved' : 'lockedYear',
			params: { year: c.end!.slice(0, 4), result: c.result, indicator: String(c.indicator ?? '') }
		}));
}

/** A short fingerprint of a stored framework: the preview carries it, the apply compares it. */
export function versionOf(values: FrameworkValues): string {
	return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 32);
}
