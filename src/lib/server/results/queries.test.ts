import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import { aFramework, type TestFramework } from '../test/factories/results.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { statements } from '../test/statements.ts';
import { frameworkOf } from './queries.ts';
import { frameworkView } from './views.ts';

describe.each(testDatabases)('a partnership’s results framework on $name', (database) => {
	let h: DatabaseHandle;
	let small: { id: number; f: TestFramework };
	let large: number;

	beforeAll(async () => {
		h = await database.open();
		const p = await aPartnership(h.db, { goals: [16], targets: ['16.7'] });
		small = { id: p.id, f: await aFramework(h.db, p.id) };
		// Eight frameworks' worth in one partnership: 24 results, 24 indicators, 96 figures.
		large = (await aPartnership(h.db)).id;
		for (let n = 0; n < 8; n++) await aFramework(h.db, large);
	});
	afterAll(async () => {
		await h?.close();
	});

	it('reads the tree in order: impact → outcome → output, each with its indicators and figures', async () => {
		const { results, activities } = await frameworkOf(h.db, small.id);
		expect(results.map((r) => r.id)).toEqual([small.f.impact]);
		const [impact] = results;
		expect(impact!.level).toBe('impact');
		expect(impact!.goals).toEqual([16]);
		expect(impact!.targets).toEqual(['16.7']);
		expect(impact!.indicators.map((i) => i.id)).toEqual([small.f.qualitative]);
		const outcome = impact!.children[0]!;
		expect(outcome.id).toBe(small.f.outcome);
		expect(outcome.children.map((c) => c.id)).toEqual([small.f.output]);
		expect(outcome.children[0]!.indicators.map((i) => i.id)).toEqual([small.f.falling]);

		const rising = outcome.indicators[0]!;
		expect(rising.id).toBe(small.f.rising);
		expect(rising.baselines.map((b) => [b.year, b.value])).toEqual([[2023, '40']]);
		expect(rising.periods.map((p) => p.start)).toEqual(['2024-01-01', '2025-01-01']);
		expect(rising.periods.map((p) => p.targets.map((f) => f.value))).toEqual([['50'], ['60']]);
		const actual2025 = rising.periods[1]!.actuals;
		expect(actual2025.map((f) => [f.value, f.dimensions])).toEqual([
			['55', []],
			['30', [{ name: 'sex', value: 'female' }]],
			['25', [{ name: 'sex', value: 'male' }]]
		]);

		// Activities by their end date: the training (April) before the milestone (September).
		expect(activities.map((a) => [a.id, a.milestone])).toEqual([
			[small.f.activity, false],
			[small.f.milestone, true]
		]);
	});

	it('costs the same number of statements for a framework eight times larger', async () => {
		const one = await statements(h.db, () => frameworkOf(h.db, small.id));
		const eight = await statements(h.db, () => frameworkOf(h.db, large));
		expect(eight.result.results).toHaveLength(8);
		expect(eight.result.results.flatMap((r) => r.children)).toHaveLength(8);
		expect(eight.seen.length).toBe(one.seen.length);
		expect(one.seen.length).toBeLessThanOrEqual(8);
	});

	it('gives the page its texts in the language and the progress rolled up from the indicators', async () => {
		const en = await frameworkView(h.db, 'en', small.id);
		const [impact] = en.results;
		expect(impact!.title).toBe('More residents influence decisions');
		expect(impact!.principle).toEqual({ key: 'participation', name: 'Participation' });
		const outcome = impact!.children[0]!;
		const output = outcome.children[0]!;
		// Rising (55 − 40) / (60 − 40) = 75 %; falling (30 − 25) / (30 − 20) = 50 %.
		expect(outcome.indicators.map((i) => i.progress)).toEqual([75]);
		expect(output.indicators.map((i) => i.progress)).toEqual([50]);
		expect(output.progress).toEqual({ percent: 50, rule: 'mean', counted: 1, of: 1 });
		expect(outcome.progress).toEqual({ percent: 63, rule: 'mean', counted: 2, of: 2 });
		// The qualitative indicator has no progress and does not count.
		expect(impact!.indicators[0]!.progress).toBeNull();
		expect(impact!.progress).toEqual({ percent: 63, rule: 'mean', counted: 1, of: 2 });

		const rising = outcome.indicators[0]!;
		expect(rising.baseline).toMatchObject({ year: 2023, value: '40' });
		expect(rising.periods.map((p) => [p.year, p.target?.value, p.actual?.value])).toEqual([
			[2024, '50', '45'],
			[2025, '60', '55']
		]);
		expect(rising.periods[1]!.actual!.breakdown.map((b) => [b.dimensions[0]!.value, b.value])).toEqual([
			['female', '30'],
			['male', '25']
		]);
		expect(en.activities.map((a) => [a.title, a.result])).toEqual([
			['Training for meeting chairs', 'Open meetings on the budget'],
			['First open budget meeting', 'More residents influence decisions']
		]);

		const sv = await frameworkView(h.db, 'sv', small.id);
		expect(sv.results[0]!.title).toBe('Fler invånare påverkar besluten');
		expect(sv.results[0]!.principle!.name).toBe('Deltagande');
	});

	it('is empty for a partnership without results', async () => {
		const none = (await aPartnership(h.db)).id;
		expect(await frameworkOf(h.db, none)).toEqual({ results: [], activities: [] });
		expect(await frameworkView(h.db, 'sv', none)).toEqual({ results: [], activities: [] });
	});
});
