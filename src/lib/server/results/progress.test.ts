import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { figureNumber, indicatorProgress, rollUp, rollUpTree, type IndicatorFigures } from './progress.ts';

const value = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const numeric = fc.constantFrom('unit' as const, 'percentage' as const, 'ordinal' as const);
const figures = fc.record({
	measure: numeric,
	ascending: fc.boolean(),
	baseline: fc.option(value, { nil: null }),
	target: value,
	actual: value
});
const part = fc.record({
	progress: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
	weight: fc.option(fc.double({ min: 0.001, max: 1000, noNaN: true }), { nil: null })
});

describe('an indicator’s progress', () => {
	it('is a share from 0 to 1, or nothing', () => {
		fc.assert(
			fc.property(figures, (f) => {
				const p = indicatorProgress(f);
				return p === null || (p >= 0 && p <= 1);
			})
		);
	});

	it('never falls when the actual gets better', () => {
		fc.assert(
			fc.property(figures, fc.double({ min: 0, max: 1e6, noNaN: true }), (f, step) => {
				const better = { ...f, actual: f.ascending ? f.actual + step : f.actual - step };
				const before = indicatorProgress(f);
				const after = indicatorProgress(better);
				// (A falling indicator without a baseline is unknown until it reaches its target.)
				return before === null ? after === null || after === 1 : after! >= before - 1e-9;
			})
		);
	});

	it('is full when the target is reached and the same for a falling indicator mirrored', () => {
		fc.assert(
			fc.property(figures, (f) => {
				expect(indicatorProgress({ ...f, actual: f.target })).toBe(1);
				const mirrored: IndicatorFigures = {
					...f,
					ascending: !f.ascending,
					baseline: f.baseline === null ? null : -f.baseline,
					target: -f.target,
					actual: -f.actual
				};
				// Without a baseline only rising indicators start from zero, so mirror only with one.
				if (f.baseline !== null) {
					expect(indicatorProgress(mirrored)).toBeCloseTo(indicatorProgress(f)!, 9);
				}
			})
		);
	});

	it('counts the way from the baseline to the target', () => {
		const f = { measure: 'unit' as const, ascending: true, baseline: 40, target: 60, actual: 45 };
		expect(indicatorProgress(f)).toBe(0.25);
		expect(indicatorProgress({ ...f, actual: 30 })).toBe(0);
		// Fewer complaints is better: from 200 toward 100, now 150.
		expect(indicatorProgress({ ...f, ascending: false, baseline: 200, target: 100, actual: 150 })).toBe(0.5);
		// Rising from nothing when no baseline is given; falling cannot be judged without one.
		expect(indicatorProgress({ ...f, baseline: null })).toBe(0.75);
		expect(indicatorProgress({ ...f, ascending: false, baseline: null, target: 10, actual: 20 })).toBeNull();
	});

	it('is nothing for measures without numbers or without a target or an actual', () => {
		const f = { measure: 'unit' as const, ascending: true, baseline: 0, target: 10, actual: 5 };
		expect(indicatorProgress({ ...f, measure: 'qualitative' })).toBeNull();
		expect(indicatorProgress({ ...f, measure: 'nominal' })).toBeNull();
		expect(indicatorProgress({ ...f, target: null })).toBeNull();
		expect(indicatorProgress({ ...f, actual: null })).toBeNull();
	});
});

describe('a result’s progress', () => {
	it('lies between its parts’ smallest and largest, whatever their order', () => {
		fc.assert(
			fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
				const r = rollUp(parts);
				const known = parts.flatMap((p) => (p.progress === null ? [] : [p.progress]));
				expect(r.counted).toBe(known.length);
				expect(r.of).toBe(parts.length);
				if (known.length === 0) {
					expect(r).toEqual({ progress: null, rule: 'none', counted: 0, of: parts.length });
					return;
				}
				expect(r.progress!).toBeGreaterThanOrEqual(Math.min(...known) - 1e-9);
				expect(r.progress!).toBeLessThanOrEqual(Math.max(...known) + 1e-9);
				expect(rollUp([...parts].reverse()).progress).toBeCloseTo(r.progress!, 9);
			})
		);
	});

	it('is weighted only when every counted part has a weight; scaling the weights changes nothing', () => {
		fc.assert(
			fc.property(
				fc.array(part, { minLength: 1, maxLength: 8 }),
				fc.double({ min: 0.1, max: 100, noNaN: true }),
				(parts, k) => {
					const r = rollUp(parts);
					const counted = parts.filter((p) => p.progress !== null);
					if (counted.length === 0) return;
					expect(r.rule).toBe(counted.every((p) => p.weight !== null) ? 'weighted' : 'mean');
					const scaled = rollUp(
						parts.map((p) => ({ ...p, weight: p.weight === null ? null : p.weight * k }))
					);
					expect(scaled.progress).toBeCloseTo(r.progress!, 9);
				}
			)
		);
		expect(
			rollUp([
				{ progress: 1, weight: 3 },
				{ progress: 0, weight: 1 }
			])
		).toEqual({
			progress: 0.75,
			rule: 'weighted',
			counted: 2,
			of: 2
		});
		expect(
			rollUp([
				{ progress: 1, weight: 3 },
				{ progress: 0, weight: null },
				{ progress: null, weight: 5 }
			])
		).toEqual({ progress: 0.5, rule: 'mean', counted: 2, of: 3 });
	});

	it('rolls up through the tree: an outcome counts its outputs and its own indicators', () => {
		const ind = (actual: number) => ({
			measure: 'unit' as const,
			ascending: true,
			baseline: 0,
			target: 10,
			actual,
			weight: null
		});
		const tree = rollUpTree([
			{
				id: 1,
				weight: null,
				indicators: [ind(10)],
				children: [
					{ id: 2, weight: null, indicators: [ind(0), ind(5)], children: [] },
					{ id: 3, weight: null, indicators: [], children: [] }
				]
			}
		]);
		expect(tree.get(2)).toEqual({ progress: 0.25, rule: 'mean', counted: 2, of: 2 });
		expect(tree.get(3)).toEqual({ progress: null, rule: 'none', counted: 0, of: 0 });
		expect(tree.get(1)).toEqual({ progress: 0.625, rule: 'mean', counted: 2, of: 3 });
	});
});

describe('reading a figure as a number', () => {
	it('reads what it writes and refuses what is not one number', () => {
		fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), (n) => figureNumber(String(n)) === n));
		expect(figureNumber('12,5')).toBe(12.5);
		expect(figureNumber(' 7 ')).toBe(7);
		for (const bad of ['', 'N=35;P=55', '1e3', '12 %', null]) expect(figureNumber(bad)).toBeNull();
	});
});
