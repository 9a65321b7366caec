import { and, eq, inArray, isNull, max } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { runCommand, type Change } from '../../kernel/write.ts';
import { partnership } from '../../partnerships/schema.ts';
import { sdgGoal, sdgTarget, theme } from '../../taxonomy/schema.ts';
import { resultsPolicy } from '../policy.ts';
import { frameworkOf, type Framework, type Indicator, type Period, type Result } from '../queries.ts';
import { lockedYears } from '../reports/queries.ts';
import {
	indicator,
	indicatorFigure,
	indicatorPeriod,
	result,
	resultActivity,
	resultGoal,
	resultPlan,
	resultTarget,
	type ResultLevel
} from '../schema.ts';
import {
	figureValue,
	readActivityForm,
	readIndicatorForm,
	readPeriodForm,
	readPlanForm,
	readRemoveForm,
	readResultForm,
	type ResultInput
} from './input.ts';
import { activityVersion, indicatorVersion, periodVersion } from './queries.ts';

// The planning view's changes, one item at a time: the plan's texts, results, indicators with their
// baseline, periods with their target, activities. Each is one command through the write path:
// signed in → the form read → in one transaction the partnership locked (so two changes to one
// framework wait for each other, as replaceFramework's do), `editFramework` asked of it, the item
// found in it, its version compared (a form opened before someone else saved is refused, never
// saved over their change), the figures of a locked year left alone → the change and its audit row.

type Form = FormData | Record<string, unknown>;
const problem = (p: FieldProblem<'results'>) => new ValidationError([p], 'results');
const stale = () => problem({ field: 'form', code: 'planStale' });

/** The framework a change works on, read in its transaction after the partnership is locked. */
interface Scope {
	partnershipId: number;
	framework: Framework;
	locked: number[];
	/** Every result depth first with its place ("1.2"). */
	results: { node: Result; place: string }[];
}

async function onFramework(tx: Transaction, slug: string, who: NonNullable<Actor>): Promise<Scope> {
	const [found] = await tx
		.select({ id: partnership.id })
		.from(partnership)
		.where(eq(partnership.slug, slug))
		.for('update');
	if (!found) throw new NotFoundError('partnership');
	await authorizeOn(who, resultsPolicy.editFramework, { db: tx, id: found.id });
	const framework = await frameworkOf(tx, found.id);
	const results: Scope['results'] = [];
	const walk = (rs: readonly Result[], prefix: string) =>
		rs.forEach((r, i) => {
			const place = prefix ? `${prefix}.${i + 1}` : String(i + 1);
			results.push({ node: r, place });
			walk(r.children, place);
		});
	walk(framework.results, '');
	return { partnershipId: found.id, framework, locked: await lockedYears(tx, found.id), results };
}

/** A change to this partnership's framework: the steps above around `work`. */
function onPlan<P, R>(
	db: Database,
	actor: Actor,
	slug: string,
	parse: () => P,
	work: (tx: Transaction, input: P, scope: Scope) => Promise<{ result: R; action: string; after?: unknown }>
): Promise<R> {
	let scope: Scope | undefined;
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse,
		// Two periods of one indicator with the same dates: a race past the check below.
		unique: { indicator_period_dates: problem({ field: 'start', code: 'planPeriodTwice' }) },
		check: async (tx, _input, who) => {
			scope = await onFramework(tx, slug, who);
		},
		work: async (tx, input): Promise<Change<R>> => {
			const done = await work(tx, input, scope!);
			return {
				result: done.result,
				audit: {
					action: `results.plan.${done.action}`,
					subject: `partnership:${scope!.partnershipId}`,
					after: done.after
				},
				public: true
			};
		}
	});
}

const resultIn = (scope: Scope, id: number) => {
	const found = scope.results.find((r) => r.node.id === id);
	if (!found) throw new NotFoundError('result');
	return found;
};
const indicatorIn = (scope: Scope, id: number) => {
	for (const r of scope.results) {
		const j = r.node.indicators.findIndex((i) => i.id === id);
		if (j !== -1) return { owner: r, indicator: r.node.indicators[j]!, number: j + 1 };
	}
	throw new NotFoundError('indicator');
};
const periodIn = (scope: Scope, id: number) => {
	for (const r of scope.results)
		for (const [j, ind] of r.node.indicators.entries()) {
			const period = ind.periods.find((p) => p.id === id);
			if (period) return { owner: r, indicator: ind, number: j + 1, period };
		}
	throw new NotFoundError('period');
};

// ---------------------------------------------------------------------------------------------
// Locked years: what replaceFramework refuses (commands.ts, lockedProblems), item by item

const yearOf = (date: string) => Number(date.slice(0, 4));
const hasFigures = (p: Period) => p.targets.length + p.actuals.length > 0;

/**
 * The year a change to a period's figures would touch while its report is sent or approved: a
 * figure added, changed or removed, or a period with figures moved out of or into such a year.
 * None when the change leaves every locked year's figures as they are.
 */
function lockedYearOf(
	locked: readonly number[],
	before: Period | null,
	after: { start: string; end: string; target: string | null } | null
): number | null {
	const oldTarget = before ? (before.targets.find((f) => f.dimensions.length === 0)?.value ?? null) : null;
	const targetChanged = (after?.target ?? null) !== oldTarget;
	const moved =
		before !== null && after !== null && (before.start !== after.start || before.end !== after.end);
	if (before && locked.includes(yearOf(before.end))) {
		const touched = after === null ? hasFigures(before) : targetChanged || (moved && hasFigures(before));
		if (touched) return yearOf(before.end);
	}
	if (after && locked.includes(yearOf(after.end))) {
		const kept = before
			? before.actuals.length > 0 || before.targets.some((f) => f.dimensions.length > 0)
			: false;
		const figuresAfter = kept || after.target !== null;
		if (targetChanged || (moved && figuresAfter)) return yearOf(after.end);
	}
	return null;
}

/** Refuses, at `field`, a change touching a locked year, named as replaceFramework names it. */
function refuseLocked(year: number | null, place: string, number: number, field: string) {
	if (year === null) return;
	throw problem({
		field,
		code: 'lockedYear',
		params: { year: String(year), result: place, indicator: String(number) }
	});
}

/** Refuses removing indicators that hold figures of a locked year (the first one found). */
function refuseRemovingLocked(scope: Scope, owners: { node: Result; place: string }[], only?: Indicator) {
	for (const r of owners)
		for (const [j, ind] of r.node.indicators.entries()) {
			if (only && ind.id !== only.id) continue;
			for (const p of ind.periods) refuseLocked(lockedYearOf(scope.locked, p, null), r.place, j + 1, 'form');
		}
}

// ---------------------------------------------------------------------------------------------
// Steps 1, 2 and 6: the plan's texts

/** Saves one step's texts of the plan (problem analysis, stakeholders or assumptions). */
export function savePlan(db: Database, actor: Actor, slug: string, form: Form): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readPlanForm(form),
		async (tx, input, scope) => {
			const [stored] = await tx
				.select({ updatedAt: resultPlan.updatedAt })
				.from(resultPlan)
				.where(eq(resultPlan.partnershipId, scope.partnershipId));
			if ((stored?.updatedAt.toISOString() ?? '') !== input.version) throw stale();
			await tx
				.insert(resultPlan)
				.values({ partnershipId: scope.partnershipId, ...input.texts, updatedAt: new Date() })
				.onConflictDoUpdate({
					target: resultPlan.partnershipId,
					set: { ...input.texts, updatedAt: new Date() }
				});
			return { result: undefined, action: 'savePlan', after: { step: input.step } };
		}
	);
}

// ---------------------------------------------------------------------------------------------
// Step 3: results

const levelAbove: Record<ResultLevel, ResultLevel | null> = {
	impact: null,
	outcome: 'impact',
	output: 'outcome'
};

/** The tags a result names exist, and its parent is one level up (an outcome under an impact …). */
async function checkResult(tx: Transaction, scope: Scope, input: ResultInput): Promise<void> {
	if (input.parentId !== null) {
		const parent = scope.results.find((r) => r.node.id === input.parentId);
		if (!parent) throw problem({ field: 'parent', code: 'planUnknownParent' });
		if (parent.node.level !== levelAbove[input.level])
			throw problem({ field: 'parent', code: 'parentLevel' });
	}
	if (input.principle !== null) {
		const [known] = await tx
			.select({ key: theme.key })
			.from(theme)
			.where(and(eq(theme.key, input.principle), eq(theme.kind, 'principle')));
		if (!known)
			throw problem({ field: 'principle', code: 'unknownPrinciple', params: { value: input.principle } });
	}
	if (input.goals.length) {
		const known = await tx
			.select({ n: sdgGoal.number })
			.from(sdgGoal)
			.where(inArray(sdgGoal.number, input.goals));
		const missing = input.goals.find((g) => !known.some((k) => k.n === g));
		if (missing !== undefined)
			throw problem({ field: 'goals', code: 'unknownSdgGoal', params: { value: String(missing) } });
	}
	if (input.targets.length) {
		const known = await tx
			.select({ code: sdgTarget.code })
			.from(sdgTarget)
			.where(inArray(sdgTarget.code, input.targets));
		const missing = input.targets.find((t) => !known.some((k) => k.code === t));
		if (missing !== undefined)
			throw problem({ field: 'targets', code: 'unknownSdgTarget', params: { value: missing } });
	}
}

/** The next position among a parent's results (or the top's). */
async function nextPosition(
	tx: Transaction,
	partnershipId: number,
	parentId: number | null
): Promise<number> {
	const [row] = await tx
		.select({ last: max(result.position) })
		.from(result)
		.where(
			and(
				eq(result.partnershipId, partnershipId),
				parentId === null ? isNull(result.parentId) : eq(result.parentId, parentId)
			)
		);
	return (row?.last ?? -1) + 1;
}

async function writeTags(tx: Transaction, id: number, input: ResultInput, replace: boolean) {
	if (replace) {
		await tx.delete(resultGoal).where(eq(resultGoal.resultId, id));
		await tx.delete(resultTarget).where(eq(resultTarget.resultId, id));
	}
	if (input.goals.length)
		await tx.insert(resultGoal).values(input.goals.map((goal) => ({ resultId: id, goal })));
	if (input.targets.length)
		await tx.insert(resultTarget).values(input.targets.map((target) => ({ resultId: id, target })));
}

const resultColumns = (input: ResultInput) => ({
	level: input.level,
	parentId: input.parentId,
	title: input.title,
	description: input.description,
	principle: input.principle,
	weight: input.weight === null ? null : String(input.weight)
});

/** Adds a result (an impact, an outcome under an impact, an output under an outcome); its id. */
export function addResult(db: Database, actor: Actor, slug: string, form: Form): Promise<number> {
	return onPlan(
		db,
		actor,
		slug,
		() => readResultForm(form),
		async (tx, input, scope) => {
			await checkResult(tx, scope, input);
			const [row] = await tx
				.insert(result)
				.values({
					partnershipId: scope.partnershipId,
					...resultColumns(input),
					position: await nextPosition(tx, scope.partnershipId, input.parentId)
				})
				.returning({ id: result.id });
			await writeTags(tx, row!.id, input, false);
			return { result: row!.id, action: 'addResult', after: { id: row!.id, level: input.level } };
		}
	);
}

/** Changes a result in place: its id, and what hangs on it (activities, proposals, figures), stay. */
export function editResult(db: Database, actor: Actor, slug: string, id: number, form: Form): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readResultForm(form),
		async (tx, input, scope) => {
			const { node } = resultIn(scope, id);
			const [stored] = await tx.select({ updatedAt: result.updatedAt }).from(result).where(eq(result.id, id));
			if (stored!.updatedAt.toISOString() !== input.version) throw stale();
			if (node.level !== input.level && node.children.length)
				throw problem({ field: 'level', code: 'levelHasChildren' });
			await checkResult(tx, scope, input);
			const moved = node.parentId !== input.parentId;
			await tx
				.update(result)
				.set({
					...resultColumns(input),
					...(moved ? { position: await nextPosition(tx, scope.partnershipId, input.parentId) } : {}),
					updatedAt: new Date()
				})
				.where(eq(result.id, id));
			await writeTags(tx, id, input, true);
			return { result: undefined, action: 'editResult', after: { id, level: input.level } };
		}
	);
}

/** Removes a result with the results under it and all their indicators and figures. */
export function removeResult(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: Form
): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readRemoveForm(form),
		async (tx, input, scope) => {
			const found = resultIn(scope, id);
			const [stored] = await tx.select({ updatedAt: result.updatedAt }).from(result).where(eq(result.id, id));
			if (stored!.updatedAt.toISOString() !== input.version) throw stale();
			const subtree = scope.results.filter(
				(r) => r.place === found.place || r.place.startsWith(`${found.place}.`)
			);
			refuseRemovingLocked(scope, subtree);
			await tx.delete(result).where(eq(result.id, id));
			return {
				result: undefined,
				action: 'removeResult',
				after: {
					id,
					results: subtree.length,
					indicators: subtree.reduce((n, r) => n + r.node.indicators.length, 0)
				}
			};
		}
	);
}

// ---------------------------------------------------------------------------------------------
// Step 4: indicators and periods

const baselineOf = (i: Indicator) => i.baselines.find((f) => f.dimensions.length === 0);

/** The figures an indicator keeps when its measure changes must fit the new measure. */
function checkMeasure(ind: Indicator, measure: Indicator['measure']) {
	const kept = [
		...ind.baselines.filter((f) => f !== baselineOf(ind)),
		...ind.periods.flatMap((p) => [...p.targets, ...p.actuals])
	];
	const fits = (value: string | null) => {
		try {
			return figureValue(measure, value ?? undefined, 'measure').value === value;
		} catch {
			return false;
		}
	};
	if (kept.some((f) => !fits(f.value) || (measure !== 'qualitative' && f.value === null)))
		throw problem({ field: 'measure', code: 'measureFigures' });
}

/** Adds an indicator (with its baseline) to a result; its id. */
export function addIndicator(db: Database, actor: Actor, slug: string, form: Form): Promise<number> {
	return onPlan(
		db,
		actor,
		slug,
		() => readIndicatorForm(form),
		async (tx, input, scope) => {
			const owner =
				input.resultId === null ? undefined : scope.results.find((r) => r.node.id === input.resultId);
			if (!owner) throw problem({ field: 'result', code: 'planUnknownResult' });
			const [row] = await tx
				.insert(indicator)
				.values({
					resultId: owner.node.id,
					measure: input.measure,
					ascending: input.ascending,
					title: input.title,
					dataSource: input.dataSource,
					weight: input.weight === null ? null : String(input.weight),
					position: owner.node.indicators.length
				})
				.returning({ id: indicator.id });
			if (input.baseline)
				await tx
					.insert(indicatorFigure)
					.values({ indicatorId: row!.id, kind: 'baseline', ...input.baseline });
			return { result: row!.id, action: 'addIndicator', after: { id: row!.id, result: owner.node.id } };
		}
	);
}

/** Changes an indicator and its baseline in place (its periods, targets and actuals stay). */
export function editIndicator(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: Form
): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readIndicatorForm(form),
		async (tx, input, scope) => {
			const { indicator: ind } = indicatorIn(scope, id);
			if (indicatorVersion(ind) !== input.version) throw stale();
			if (ind.measure !== input.measure) checkMeasure(ind, input.measure);
			await tx
				.update(indicator)
				.set({
					measure: input.measure,
					ascending: input.ascending,
					title: input.title,
					dataSource: input.dataSource,
					weight: input.weight === null ? null : String(input.weight)
				})
				.where(eq(indicator.id, id));
			const baseline = baselineOf(ind);
			if (baseline && input.baseline)
				await tx.update(indicatorFigure).set(input.baseline).where(eq(indicatorFigure.id, baseline.id));
			else if (baseline) await tx.delete(indicatorFigure).where(eq(indicatorFigure.id, baseline.id));
			else if (input.baseline)
				await tx.insert(indicatorFigure).values({ indicatorId: id, kind: 'baseline', ...input.baseline });
			return { result: undefined, action: 'editIndicator', after: { id } };
		}
	);
}

/** Removes an indicator with its periods and figures, unless a locked year holds some. */
export function removeIndicator(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: Form
): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readRemoveForm(form),
		async (tx, input, scope) => {
			const { owner, indicator: ind } = indicatorIn(scope, id);
			if (indicatorVersion(ind) !== input.version) throw stale();
			refuseRemovingLocked(scope, [owner], ind);
			await tx.delete(indicator).where(eq(indicator.id, id));
			return { result: undefined, action: 'removeIndicator', after: { id } };
		}
	);
}

/** A period's dates are the indicator's only once. */
function checkDates(ind: Indicator, start: string, end: string, except?: number) {
	if (ind.periods.some((p) => p.id !== except && p.start === start && p.end === end))
		throw problem({ field: 'start', code: 'planPeriodTwice' });
}

/** Adds a period with its target to an indicator; its id. */
export function addPeriod(db: Database, actor: Actor, slug: string, form: Form): Promise<number> {
	return onPlan(
		db,
		actor,
		slug,
		() => readPeriodForm(form),
		async (tx, input, scope) => {
			if (input.indicatorId === null) throw new NotFoundError('indicator');
			const { owner, indicator: ind, number } = indicatorIn(scope, input.indicatorId);
			const { value } = figureValue(ind.measure, input.target, 'target');
			checkDates(ind, input.start, input.end);
			const after = { start: input.start, end: input.end, target: value };
			refuseLocked(lockedYearOf(scope.locked, null, after), owner.place, number, 'target');
			const [row] = await tx
				.insert(indicatorPeriod)
				.values({ indicatorId: ind.id, start: input.start, end: input.end })
				.returning({ id: indicatorPeriod.id });
			if (value !== null)
				await tx
					.insert(indicatorFigure)
					.values({ indicatorId: ind.id, kind: 'target', periodId: row!.id, value });
			return { result: row!.id, action: 'addPeriod', after: { id: row!.id, indicator: ind.id } };
		}
	);
}

/** Changes a period's dates and its target (its actual values stay). */
export function editPeriod(db: Database, actor: Actor, slug: string, id: number, form: Form): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readPeriodForm(form),
		async (tx, input, scope) => {
			const { owner, indicator: ind, number, period } = periodIn(scope, id);
			if (periodVersion(period) !== input.version) throw stale();
			const { value } = figureValue(ind.measure, input.target, 'target');
			checkDates(ind, input.start, input.end, id);
			const after = { start: input.start, end: input.end, target: value };
			refuseLocked(lockedYearOf(scope.locked, period, after), owner.place, number, 'target');
			await tx
				.update(indicatorPeriod)
				.set({ start: input.start, end: input.end })
				.where(eq(indicatorPeriod.id, id));
			const total = period.targets.find((f) => f.dimensions.length === 0);
			if (total && value !== null)
				await tx.update(indicatorFigure).set({ value }).where(eq(indicatorFigure.id, total.id));
			else if (total) await tx.delete(indicatorFigure).where(eq(indicatorFigure.id, total.id));
			else if (value !== null)
				await tx.insert(indicatorFigure).values({ indicatorId: ind.id, kind: 'target', periodId: id, value });
			return { result: undefined, action: 'editPeriod', after: { id } };
		}
	);
}

/** Removes a period with its targets and actuals, unless its year is locked and it has figures. */
export function removePeriod(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: Form
): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readRemoveForm(form, false),
		async (tx, input, scope) => {
			const { owner, number, period } = periodIn(scope, id);
			if (periodVersion(period) !== input.version) throw stale();
			refuseLocked(lockedYearOf(scope.locked, period, null), owner.place, number, 'form');
			await tx.delete(indicatorPeriod).where(eq(indicatorPeriod.id, id));
			return { result: undefined, action: 'removePeriod', after: { id } };
		}
	);
}

// ---------------------------------------------------------------------------------------------
// Step 5: activities and milestones

const activityIn = (scope: Scope, id: number) => {
	const found = scope.framework.activities.find((a) => a.id === id);
	if (!found) throw new NotFoundError('activity');
	return found;
};

function checkServes(scope: Scope, resultId: number | null) {
	if (resultId !== null && !scope.results.some((r) => r.node.id === resultId))
		throw problem({ field: 'result', code: 'planUnknownResult' });
}

/** Adds an activity or a milestone, optionally under the result it serves; its id. */
export function addActivity(db: Database, actor: Actor, slug: string, form: Form): Promise<number> {
	return onPlan(
		db,
		actor,
		slug,
		() => readActivityForm(form),
		async (tx, input, scope) => {
			checkServes(scope, input.resultId);
			const { version: _, ...values } = input;
			const [row] = await tx
				.insert(resultActivity)
				.values({ partnershipId: scope.partnershipId, ...values })
				.returning({ id: resultActivity.id });
			return { result: row!.id, action: 'addActivity', after: { id: row!.id } };
		}
	);
}

/** Changes an activity in place (whether it is done stays as the report left it). */
export function editActivity(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: Form
): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readActivityForm(form),
		async (tx, input, scope) => {
			if (activityVersion(activityIn(scope, id)) !== input.version) throw stale();
			checkServes(scope, input.resultId);
			const { version: _, ...values } = input;
			await tx.update(resultActivity).set(values).where(eq(resultActivity.id, id));
			return { result: undefined, action: 'editActivity', after: { id } };
		}
	);
}

/** Removes an activity or milestone. */
export function removeActivity(
	db: Database,
	actor: Actor,
	slug: string,
	id: number,
	form: Form
): Promise<void> {
	return onPlan(
		db,
		actor,
		slug,
		() => readRemoveForm(form, false),
		async (tx, input, scope) => {
			if (activityVersion(activityIn(scope, id)) !== input.version) throw stale();
			await tx.delete(resultActivity).where(eq(resultActivity.id, id));
			return { result: undefined, action: 'removeActivity', after: { id } };
		}
	);
}
