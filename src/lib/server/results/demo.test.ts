import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, inArray } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { Database, DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { partnership, partnershipGoal, partnershipTarget } from '../partnerships/schema.ts';
import { keptTotals } from '../test/factories/results.ts';
import { addDemoResults } from './demo.ts';
import { frameworkOf, type Framework, type Result } from './queries.ts';
import { frameworkView } from './views.ts';
import { indicatorFigure, result, resultActivity } from './schema.ts';

const slugs = ['vasterbotten-yogyakarta', 'kalmar-cape-winelands', 'horby-peja', 'ale-ghanzi'];
const principles = ['participation', 'transparency', 'accountability', 'non-discrimination'];

const all = (results: Result[]): Result[] => results.flatMap((r) => [r, ...all(r.children)]);

/** Removes partnerships' frameworks, as if they had never had one. */
async function removeFrameworks(db: Database, partnershipIds: number[]) {
	await db.delete(resultActivity).where(inArray(resultActivity.partnershipId, partnershipIds));
	await db.delete(result).where(inArray(result.partnershipId, partnershipIds));
}

/** A framework without its ids, to compare one loaded twice. */
/** A framework without its ids, and without the statuses (the demo's proposal link sets one). */
const shape = (f: Framework) =>
	JSON.parse(
		JSON.stringify(f, (key, value) =>
			/^(id|parentId|resultId|periodId|status)$/.test(key) ? undefined : value
		)
	);

/** The INSERT statements a piece of work sends, by table (its transaction's session included). */
async function inserts(db: Database, work: () => Promise<unknown>) {
	type Logger = { logQuery(q: string, p: unknown[]): void };
	const session = (db as unknown as { session: { logger: Logger; options: { logger?: Logger } } }).session;
	const before = { logger: session.logger, options: session.options };
	const seen: string[] = [];
	session.logger = { logQuery: (query) => void seen.push(query) };
	// A transaction opens a session of its own from these options.
	session.options = { ...session.options, logger: session.logger };
	try {
		await work();
	} finally {
		session.logger = before.logger;
		session.options = before.options;
	}
	const tables = seen.flatMap((q) => /^insert into "([a-z_]+)"/.exec(q)?.[1] ?? []);
	return Object.fromEntries([...Map.groupBy(tables, (t) => t)].map(([t, n]) => [t, n.length]));
}

describe.each(testDatabases)('the demo results frameworks on $name', (database) => {
	let h: DatabaseHandle;
	let ids: Map<string, number>;

	beforeAll(async () => {
		// The prepared database has the demo loaded already (test/global-setup.ts).
		h = await database.open();
		const rows = await h.db
			.select({ id: partnership.id, slug: partnership.slug })
			.from(partnership)
			.where(inArray(partnership.slug, slugs));
		ids = new Map(rows.map((r) => [r.slug, r.id]));
	});
	afterAll(async () => {
		await h?.close();
	});

	it('gives each demo partnership an impact, its outcomes and outputs within its own goals', async () => {
		expect([...ids.keys()].sort()).toEqual([...slugs].sort());
		for (const [slug, id] of ids) {
			const f = await frameworkOf(h.db, id);
			const goals = (
				await h.db
					.select({ g: partnershipGoal.goal })
					.from(partnershipGoal)
					.where(eq(partnershipGoal.partnershipId, id))
			).map((r) => r.g);
			const targets = (
				await h.db
					.select({ t: partnershipTarget.target })
					.from(partnershipTarget)
					.where(eq(partnershipTarget.partnershipId, id))
			).map((r) => r.t);
			expect(
				f.results.map((r) => r.level),
				slug
			).toEqual(['impact']);
			const outcomes = f.results[0]!.children;
			expect(outcomes.length, slug).toBeGreaterThanOrEqual(2);
			expect(outcomes.length, slug).toBeLessThanOrEqual(3);
			for (const o of outcomes) {
				expect(o.level).toBe('outcome');
				expect(o.children.length).toBeGreaterThanOrEqual(1);
				expect(o.children.length).toBeLessThanOrEqual(3);
				expect(o.children.every((c) => c.level === 'output' && c.children.length === 0)).toBe(true);
			}
			for (const r of all(f.results)) {
				expect(principles).toContain(r.principle);
				expect(r.indicators.length).toBeGreaterThanOrEqual(1);
				expect(r.indicators.length).toBeLessThanOrEqual(3);
				for (const g of r.goals) expect(goals, `${slug}: ${r.title.en}`).toContain(g);
				for (const t of r.targets) expect(targets, `${slug}: ${r.title.en}`).toContain(t);
				for (const i of r.indicators) {
					expect(i.baselines).toHaveLength(1);
					expect(i.periods).toHaveLength(3);
					expect(i.dataSource.sv && i.dataSource.en).toBeTruthy();
					for (const p of i.periods) expect([p.targets.length, p.actuals.length >= 1]).toEqual([1, true]);
				}
			}
			expect(f.results[0]!.description.en).toMatch(/fictional/);
			expect(f.results[0]!.description.sv).toMatch(/påhittade/);
			expect(f.activities.some((a) => a.milestone) && f.activities.some((a) => !a.milestone)).toBe(true);
		}
	});

	it('varies the measures and directions, with breakdowns by sex and by age group', async () => {
		const indicators = (await Promise.all([...ids.values()].map((id) => frameworkOf(h.db, id)))).flatMap(
			(f) => all(f.results).flatMap((r) => r.indicators)
		);
		expect(new Set(indicators.map((i) => i.measure))).toEqual(
			new Set(['unit', 'percentage', 'ordinal', 'qualitative'])
		);
		expect(indicators.some((i) => !i.ascending)).toBe(true);
		const dimensions = indicators.flatMap((i) =>
			i.periods.flatMap((p) => p.actuals.flatMap((a) => a.dimensions.map((d) => d.name)))
		);
		expect(new Set(dimensions)).toEqual(new Set(['sex', 'age']));
		// The totals the dashboard reads are the totals, not a breakdown (written in one insert per table).
		for (const id of ids.values()) {
			const totals = await keptTotals(h.db, id);
			expect(totals.kept).toEqual(totals.expected);
		}
		// A qualitative indicator is told in words, not numbers.
		const qualitative = indicators.filter((i) => i.measure === 'qualitative');
		for (const i of qualitative)
			for (const p of i.periods)
				expect([p.actuals[0]!.value, !!p.actuals[0]!.comment.en]).toEqual([null, true]);
	});

	it('shows both rules: Västerbotten–Yogyakarta weighs its impact’s parts, Ale–Ghanzi takes the mean', async () => {
		const weighted = await frameworkView(h.db, 'en', ids.get('vasterbotten-yogyakarta')!);
		expect(weighted.results[0]!.progress).toMatchObject({ rule: 'weighted', counted: 3, of: 3 });
		const mean = await frameworkView(h.db, 'en', ids.get('ale-ghanzi')!);
		// Its qualitative indicator does not count; 2025: (45 − 25) / (45 − 21) days = 83 %.
		expect(mean.results[0]!.progress).toMatchObject({ rule: 'mean', counted: 3, of: 4 });
		const days = mean.results[0]!.children[1]!.indicators[0]!;
		expect([days.title, days.ascending, days.progress]).toEqual([
			"Average number of days before a resident's question is answered",
			false,
			83
		]);
	});

	it('adds nothing on a second run, and only the missing framework when one is gone', async () => {
		const [{ n: before } = { n: 0 }] = await h.db.select({ n: count() }).from(indicatorFigure);
		expect(await addDemoResults(h.db)).toBe(0);
		const [{ n: after } = { n: 0 }] = await h.db.select({ n: count() }).from(indicatorFigure);
		expect(after).toBe(before);

		const ale = ids.get('ale-ghanzi')!;
		const original = shape(await frameworkOf(h.db, ale));
		await removeFrameworks(h.db, [ale]);
		expect((await frameworkOf(h.db, ale)).results).toEqual([]);
		expect(await addDemoResults(h.db)).toBe(1);
		expect(shape(await frameworkOf(h.db, ale))).toEqual(original);
		const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'results.demo'));
		expect(audit.at(-1)!.after).toEqual({ slugs: ['ale-ghanzi'] });
	});

	it('writes one insert per table (one per level of results) for one framework or for four', async () => {
		const one = ids.get('horby-peja')!;
		await removeFrameworks(h.db, [one]);
		const forOne = await inserts(h.db, () => addDemoResults(h.db));
		await removeFrameworks(h.db, [...ids.values()]);
		const forFour = await inserts(h.db, () => addDemoResults(h.db));
		expect(forFour).toEqual(forOne);
		expect(forOne).toMatchObject({
			result: 3,
			result_goal: 1,
			result_target: 1,
			indicator: 1,
			indicator_period: 1,
			indicator_figure: 1,
			figure_dimension: 1,
			result_activity: 1
		});
	});
});
