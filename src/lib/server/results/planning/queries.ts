import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { sdgGoal, theme } from '../../taxonomy/schema.ts';
import {
	frameworkOf,
	type Activity,
	type Figure,
	type Indicator,
	type Period,
	type Result
} from '../queries.ts';
import { lockedYears } from '../reports/queries.ts';
import { result, resultPlan, type ResultLevel } from '../schema.ts';
import { planTexts, type PlanText } from './input.ts';

// What the planning view shows and edits: the plan's texts and the framework flattened in its
// order, each item with the version its form carries. A result and the plan have an `updatedAt`;
// an indicator, a period and an activity have none, so their version is a digest of what is stored
// (any change by anyone changes it), which the commands compare in the same way.

type Db = Database | Transaction;

/** A short digest of stored values: the version of an item that keeps no time of change. */
export const digest = (value: unknown) =>
	createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

export interface PlanPeriod {
	id: number;
	start: string;
	end: string;
	/** The total target (the first without breakdowns), as stored. */
	target: string | null;
	/** Whether it has actual values (reports write them). */
	hasActuals: boolean;
	/** A report for its end year is sent or approved: its figures cannot change. */
	locked: boolean;
	version: string;
}

export interface PlanIndicator {
	id: number;
	resultId: number;
	/** Its number under its result (1, 2 …), as the framework's files name it. */
	number: number;
	measure: Indicator['measure'];
	ascending: boolean;
	title: LocalizedText;
	dataSource: LocalizedText;
	weight: number | null;
	/** The total baseline (without breakdowns), if there is one. */
	baseline: { year: number; value: string | null; comment: LocalizedText } | null;
	periods: PlanPeriod[];
	version: string;
}

export interface PlanResult {
	id: number;
	parentId: number | null;
	/** Its place in the tree ("1.2": the second result under the first). */
	place: string;
	depth: number;
	level: ResultLevel;
	title: LocalizedText;
	description: LocalizedText;
	principle: string | null;
	goals: number[];
	targets: string[];
	weight: number | null;
	/** What goes with it when it is removed. */
	below: { results: number; indicators: number };
	indicators: PlanIndicator[];
	version: string;
}

export interface PlanActivity extends Activity {
	version: string;
}

export interface Planning {
	partnershipId: number;
	texts: Record<PlanText, LocalizedText>;
	/** The plan's `updatedAt`; empty while nothing has been saved. */
	version: string;
	/** Every result depth first (an impact, its outcomes, each with its outputs …). */
	results: PlanResult[];
	activities: PlanActivity[];
	lockedYears: number[];
}

const totalOf = (figures: readonly Figure[]) => figures.find((f) => f.dimensions.length === 0);

/** The version of an indicator (its own values and baselines; its periods have their own). */
export const indicatorVersion = (i: Indicator) =>
	digest([i.measure, i.ascending, i.title, i.description, i.dataSource, i.weight, i.baselines]);
export const periodVersion = (p: Period) => digest([p.start, p.end, p.targets, p.actuals]);
export const activityVersion = (a: Activity) =>
	digest([a.resultId, a.title, a.milestone, a.start, a.end, a.done]);

/** A partnership's plan and framework as the planning view edits them. */
export async function planningOf(db: Db, partnershipId: number): Promise<Planning> {
	// One after another: this also runs inside a command's transaction (one connection).
	const framework = await frameworkOf(db, partnershipId);
	const [plan] = await db.select().from(resultPlan).where(eq(resultPlan.partnershipId, partnershipId));
	const times = await db
		.select({ id: result.id, updatedAt: result.updatedAt })
		.from(result)
		.where(eq(result.partnershipId, partnershipId));
	const locked = await lockedYears(db, partnershipId);
	const updated = new Map(times.map((t) => [t.id, t.updatedAt.toISOString()]));

	const results: PlanResult[] = [];
	const count = (r: Result): { results: number; indicators: number } =>
		r.children.reduce(
			(n, c) => {
				const below = count(c);
				return { results: n.results + 1 + below.results, indicators: n.indicators + below.indicators };
			},
			{ results: 0, indicators: r.indicators.length }
		);
	const walk = (rs: readonly Result[], prefix: string, depth: number) =>
		rs.forEach((r, i) => {
			const place = prefix ? `${prefix}.${i + 1}` : String(i + 1);
			results.push({
				id: r.id,
				parentId: r.parentId,
				place,
				depth,
				level: r.level,
				title: r.title,
				description: r.description,
				principle: r.principle,
				goals: r.goals,
				targets: r.targets,
				weight: r.weight,
				below: count(r),
				indicators: r.indicators.map((ind, j) => {
					const baseline = totalOf(ind.baselines);
					return {
						id: ind.id,
						resultId: r.id,
						number: j + 1,
						measure: ind.measure,
						ascending: ind.ascending,
						title: ind.title,
						dataSource: ind.dataSource,
						weight: ind.weight,
						baseline: baseline
							? { year: baseline.year!, value: baseline.value, comment: baseline.comment }
							: null,
						periods: ind.periods.map((p) => ({
							id: p.id,
							start: p.start,
							end: p.end,
							target: totalOf(p.targets)?.value ?? null,
							hasActuals: p.actuals.length > 0,
							locked: locked.includes(Number(p.end.slice(0, 4))),
							version: periodVersion(p)
						})),
						version: indicatorVersion(ind)
					};
				}),
				version: updated.get(r.id) ?? ''
			});
			walk(r.children, place, depth + 1);
		});
	walk(framework.results, '', 0);

	const texts = Object.fromEntries(planTexts.map((t) => [t, plan?.[t] ?? {}])) as Record<
		PlanText,
		LocalizedText
	>;
	return {
		partnershipId,
		texts,
		version: plan ? plan.updatedAt.toISOString() : '',
		results,
		activities: framework.activities.map((a) => ({ ...a, version: activityVersion(a) })),
		lockedYears: locked
	};
}

/** The democratic principles a result may serve, in their order. */
export async function principleOptions(db: Db): Promise<{ key: string; name: LocalizedText }[]> {
	return db
		.select({ key: theme.key, name: theme.name })
		.from(theme)
		.where(eq(theme.kind, 'principle'))
		.orderBy(asc(theme.position), asc(theme.key));
}

/** The Global Goals to tick for a result, by number with their short names. */
export async function goalOptions(db: Db): Promise<{ number: number; name: LocalizedText }[]> {
	return db
		.select({ number: sdgGoal.number, name: sdgGoal.shortName })
		.from(sdgGoal)
		.orderBy(asc(sdgGoal.number));
}
