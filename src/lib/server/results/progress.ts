import type { IndicatorMeasure } from './schema.ts';

// Progress of the framework, as a share from 0 to 1. An indicator: how far its latest actual has
// come from the baseline toward its final target. A result: the mean of its indicators' and its
// children's progress, weighted when every one of them has a weight. Measures without numbers
// (nominal, qualitative) and indicators without the figures needed have no progress and are left
// out, and the rule says how many counted.

export interface IndicatorFigures {
	measure: IndicatorMeasure;
	ascending: boolean;
	/** The baseline's value (the total, not a breakdown), if any. */
	baseline: number | null;
	/** The final target's value. */
	target: number | null;
	/** The latest actual's value. */
	actual: number | null;
}

const numericMeasures = new Set<IndicatorMeasure>(['unit', 'percentage', 'ordinal']);

/** A value as written, read as a number where it is one ("12", "12.5", "-3"); else null. */
export function figureNumber(value: string | null | undefined): number | null {
	if (value === null || value === undefined) return null;
	const trimmed = value.trim();
	if (!/^[-+]?(\d+([.,]\d+)?|[.,]\d+)$/.test(trimmed)) return null;
	return Number(trimmed.replace(',', '.'));
}

const clamp = (x: number) => Math.min(1, Math.max(0, x));

/** An indicator's progress, or null when it cannot be said. */
export function indicatorProgress(f: IndicatorFigures): number | null {
	if (!numericMeasures.has(f.measure) || f.target === null || f.actual === null) return null;
	const reached = f.ascending ? f.actual >= f.target : f.actual <= f.target;
	if (reached) return 1;
	// Without a baseline, an ascending indicator starts from zero; a falling one cannot be judged.
	const start = f.baseline ?? (f.ascending ? 0 : null);
	if (start === null) return null;
	const span = f.target - start;
	// A target no better than the start, not yet reached: nothing gained.
	if (f.ascending ? span <= 0 : span >= 0) return 0;
	return clamp((f.actual - start) / span);
}

export interface Part {
	progress: number | null;
	/** Its weight, if one is set (> 0). */
	weight: number | null;
}

export interface Rollup {
	progress: number | null;
	/** How it was computed, for the sentence beside the figure. */
	rule: 'weighted' | 'mean' | 'none';
	/** How many parts had a progress and counted. */
	counted: number;
	/** How many parts there were. */
	of: number;
}

/** A result's progress from its parts (its indicators and the results under it). */
export function rollUp(parts: Part[]): Rollup {
	const counted = parts.filter((p): p is Part & { progress: number } => p.progress !== null);
	if (counted.length === 0) return { progress: null, rule: 'none', counted: 0, of: parts.length };
	const weighted = counted.every((p) => p.weight !== null && p.weight > 0);
	if (weighted) {
		const total = counted.reduce((s, p) => s + p.weight!, 0);
		const sum = counted.reduce((s, p) => s + p.progress * p.weight!, 0);
		return { progress: clamp(sum / total), rule: 'weighted', counted: counted.length, of: parts.length };
	}
	const sum = counted.reduce((s, p) => s + p.progress, 0);
	return { progress: clamp(sum / counted.length), rule: 'mean', counted: counted.length, of: parts.length };
}

/** A tree of results, each with its indicators' figures and its children. */
export interface ResultNode {
	id: number;
	weight: number | null;
	indicators: (IndicatorFigures & { weight: number | null })[];
	children: ResultNode[];
}

/** Every result's roll-up, children first, by id. */
export function rollUpTree(roots: ResultNode[]): Map<number, Rollup> {
	const out = new Map<number, Rollup>();
	const visit = (node: ResultNode): Rollup => {
		const parts: Part[] = [
			...node.indicators.map((i) => ({ progress: indicatorProgress(i), weight: i.weight })),
			...node.children.map((c) => ({ progress: visit(c).progress, weight: c.weight }))
		];
		const r = rollUp(parts);
		out.set(node.id, r);
		return r;
	};
	roots.forEach(visit);
	return out;
}
