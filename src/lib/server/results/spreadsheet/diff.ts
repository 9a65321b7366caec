import { createHash } from 'node:crypto';
import type { FrameworkValues } from '../input.ts';
import type { Place } from '../in-place.ts';
import { entriesOf, type Entry } from './layout.ts';
import type { SheetProblem } from './read.ts';

// What saving a file would change: each result, indicator, period and figure added or removed,
// and each column of one that changed (old → new), with the row it is on in the file.

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
}

const shown = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));

/** Every difference between the stored framework and the file's, the file's order first. */
export function changesOf(
	stored: FrameworkValues,
	read: FrameworkValues,
	rows: Map<string, number>,
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
		row: rows.get(e.key) ?? null,
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
	for (const e of before.values()) if (!afterKeys.has(e.key)) out.push(describe(e, 'removed', { row: null }));
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
export function lockedProblems(changes: readonly Change[], locked: readonly number[]): SheetProblem[] {
	const years = new Set(locked);
	return changes
		.filter(
			(c) => c.what === 'figure' && c.kind !== 'baseline' && c.end && years.has(Number(c.end.slice(0, 4)))
		)
		.map((c) => ({
			row: c.row,
			column: c.column ?? (c.row === null ? null : 'kind'),
			letter: null,
			code: c.change === 'removed' ? 'lockedYearRemoved' : 'lockedYear',
			params: { year: c.end!.slice(0, 4), result: c.result, indicator: String(c.indicator ?? '') }
		}));
}

/** A short fingerprint of a stored framework: the preview carries it, the apply compares it. */
export function versionOf(values: FrameworkValues): string {
	return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 32);
}
