import { and, count, countDistinct, eq, inArray, isNotNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Transaction } from '../kernel/database.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorizeOn, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { partnership } from '../partnerships/schema.ts';
import { sdgGoal, sdgTarget, theme } from '../taxonomy/schema.ts';
import { frameworkShape, type FrameworkValues, type ResultValues } from './input.ts';
import { resultsPolicy } from './policy.ts';
import {
	figureDimension,
	indicator,
	indicatorFigure,
	indicatorPeriod,
	result,
	resultActivity,
	resultGoal,
	resultTarget
} from './schema.ts';

/** What a replacement wrote, and the activities that lost the result they were linked to. */
export interface Replaced {
	results: number;
	indicators: number;
	unlinkedActivities: number;
}

/** Where a problem at a path of the values is in what the person sent: a form's dotted field by default. */
type Locate = (path: readonly PropertyKey[]) => string;
const dotted: Locate = (path) => path.map(String).join('.') || 'form';

/** The parse's problems, one per place, each named by `locate`. */
function problemsAt(error: z.ZodError, locate: Locate): FieldProblem<'results'>[] {
	const out: FieldProblem<'results'>[] = [];
	for (const issue of error.issues) {
		const field = locate(issue.path);
		if (out.some((p) => p.field === field)) continue;
		const code = /^[A-Za-z][A-Za-z0-9]*$/.test(issue.message) ? issue.message : 'invalid';
		out.push({ field, code } as FieldProblem<'results'>);
	}
	return out;
}

/** Every result of the tree depth first, with its path in the values and its parent's place. */
function flatten(results: readonly ResultValues[]) {
	const flat: { node: ResultValues; path: PropertyKey[]; depth: number; parent: number | null }[] = [];
	const walk = (r: ResultValues, path: PropertyKey[], depth: number, parent: number | null) => {
		const at = flat.push({ node: r, path, depth, parent }) - 1;
		r.children.forEach((c, i) => walk(c, [...path, 'children', i], depth + 1, at));
	};
	results.forEach((r, i) => walk(r, ['results', i], 0, null));
	return flat;
}

/** Principles, goals and targets the framework names must exist; each unknown one is named where it is. */
async function checkTags(tx: Transaction, values: FrameworkValues, locate: Locate): Promise<void> {
	const flat = flatten(values.results);
	const principles = [...new Set(flat.flatMap((r) => (r.node.principle ? [r.node.principle] : [])))];
	const goals = [...new Set(flat.flatMap((r) => r.node.goals))];
	const targets = [...new Set(flat.flatMap((r) => r.node.targets))];
	// One after another: a transaction is one connection (pg queues, and will refuse, overlapping queries).
	const themes = principles.length
		? await tx.select({ key: theme.key }).from(theme).where(inArray(theme.key, principles))
		: [];
	const knownGoals = goals.length
		? await tx.select({ n: sdgGoal.number }).from(sdgGoal).where(inArray(sdgGoal.number, goals))
		: [];
	const knownTargets = targets.length
		? await tx.select({ code: sdgTarget.code }).from(sdgTarget).where(inArray(sdgTarget.code, targets))
		: [];
	const has = {
		principle: new Set(themes.map((t) => t.key)),
		goal: new Set(knownGoals.map((g) => g.n)),
		target: new Set(knownTargets.map((t) => t.code))
	};
	const problems: FieldProblem<'results'>[] = [];
	for (const { node, path } of flat) {
		if (node.principle && !has.principle.has(node.principle))
			problems.push({
				field: locate([...path, 'principle']),
				code: 'unknownPrinciple',
				params: { value: node.principle }
			});
		for (const g of node.goals.filter((g) => !has.goal.has(g)))
			problems.push({
				field: locate([...path, 'goals']),
				code: 'unknownSdgGoal',
				params: { value: String(g) }
			});
		for (const t of node.targets.filter((t) => !has.target.has(t)))
			problems.push({ field: locate([...path, 'targets']), code: 'unknownSdgTarget', params: { value: t } });
	}
	if (problems.length) throw new ValidationError(problems, 'results');
}

/** Inserts rows a thousand at a time (PostgreSQL takes at most 65,535 values a statement). */
async function inChunks<T, R>(rows: T[], insert: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < rows.length; i += 1000) out.push(...(await insert(rows.slice(i, i + 1000))));
	return out;
}

/** Writes a framework under a partnership that has none: a fixed number of statements per table. */
async function writeFramework(tx: Transaction, partnershipId: number, values: FrameworkValues) {
	const flat = flatten(values.results);
	const ids: number[] = [];
	for (let depth = 0; flat.some((r) => r.depth === depth); depth++) {
		const level = flat.map((r, position) => ({ ...r, position })).filter((r) => r.depth === depth);
		const rows = await tx
			.insert(result)
			.values(
				level.map(({ node, parent, position }) => ({
					partnershipId,
					parentId: parent === null ? null : ids[parent]!,
					level: node.level,
					principle: node.principle,
					title: node.title,
					description: node.description,
					aggregationStatus: node.aggregationStatus,
					weight: node.weight === null ? null : String(node.weight),
					position
				}))
			)
			.returning({ id: result.id, position: result.position });
		for (const r of rows) ids[r.position] = r.id;
	}
	const goals = flat.flatMap((r, i) => r.node.goals.map((goal) => ({ resultId: ids[i]!, goal })));
	const targets = flat.flatMap((r, i) => r.node.targets.map((target) => ({ resultId: ids[i]!, target })));
	if (goals.length) await tx.insert(resultGoal).values(goals);
	if (targets.length) await tx.insert(resultTarget).values(targets);

	const indicators = flat.flatMap((r, i) => r.node.indicators.map((ind) => ({ ind, resultId: ids[i]! })));
	const indicatorIds = new Map<number, number>();
	const inserted = await inChunks(
		indicators.map(({ ind, resultId }, position) => ({
			resultId,
			measure: ind.measure,
			ascending: ind.ascending,
			aggregationStatus: ind.aggregationStatus,
			title: ind.title,
			description: ind.description,
			dataSource: ind.dataSource,
			weight: ind.weight === null ? null : String(ind.weight),
			position
		})),
		(chunk) =>
			tx.insert(indicator).values(chunk).returning({ id: indicator.id, position: indicator.position })
	);
	for (const r of inserted) indicatorIds.set(r.position, r.id);

	const periods = indicators.flatMap(({ ind }, n) =>
		ind.periods.map((p) => ({ indicatorId: indicatorIds.get(n)!, start: p.start, end: p.end }))
	);
	const periodIds = new Map(
		(
			await inChunks(periods, (chunk) =>
				tx.insert(indicatorPeriod).values(chunk).returning({
					id: indicatorPeriod.id,
					indicatorId: indicatorPeriod.indicatorId,
					start: indicatorPeriod.start,
					end: indicatorPeriod.end
				})
			)
		).map((p) => [`${p.indicatorId}/${p.start}/${p.end}`, p.id])
	);

	// A figure's position counts within its indicator: the key that finds its id again.
	type Dims = { name: string; value: string }[];
	const figures: (typeof indicatorFigure.$inferInsert & { position: number })[] = [];
	const dimsOf = new Map<string, Dims>();
	indicators.forEach(({ ind }, n) => {
		const indicatorId = indicatorIds.get(n)!;
		let position = 0;
		const add = (row: Omit<typeof indicatorFigure.$inferInsert, 'indicatorId' | 'position'>, dims: Dims) => {
			figures.push({ ...row, indicatorId, position });
			dimsOf.set(`${indicatorId}/${position++}`, dims);
		};
		for (const b of ind.baselines)
			add(
				{ kind: 'baseline', year: b.year, isoDate: b.isoDate, value: b.value, comment: b.comment },
				b.dimensions
			);
		for (const p of ind.periods) {
			const periodId = periodIds.get(`${indicatorId}/${p.start}/${p.end}`)!;
			for (const f of p.targets)
				add({ kind: 'target', periodId, value: f.value, comment: f.comment }, f.dimensions);
			for (const f of p.actuals)
				add({ kind: 'actual', periodId, value: f.value, comment: f.comment }, f.dimensions);
		}
	});
	const figureIds = await inChunks(figures, (chunk) =>
		tx.insert(indicatorFigure).values(chunk).returning({
			id: indicatorFigure.id,
			indicatorId: indicatorFigure.indicatorId,
			position: indicatorFigure.position
		})
	);
	const dimensions = figureIds.flatMap((f) =>
		(dimsOf.get(`${f.indicatorId}/${f.position}`) ?? []).map((d) => ({ figureId: f.id, ...d }))
	);
	await inChunks(dimensions, (chunk) =>
		tx.insert(figureDimension).values(chunk).returning({ id: figureDimension.figureId })
	);
	return { results: flat.length, indicators: indicators.length };
}

/**
 * Replaces a partnership's whole framework (its coordinator, or the programme's editors): the
 * results with their indicators, periods and figures, in one transaction. `read` gives the values
 * (a form's, or an IATI file's: it may refuse them with its own problems) and where each is in
 * what was sent. The plan's activities stay; one linked to a replaced result loses the link.
 */
export async function replaceFramework(
	db: Database,
	actor: Actor,
	slug: string,
	source: 'form' | 'iati' | 'spreadsheet',
	read: () => { values: unknown; locate?: Locate }
): Promise<Replaced> {
	let partnershipId = 0;
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse: () => {
			const { values, locate = dotted } = read();
			const parsed = frameworkShape.safeParse(values);
			if (!parsed.success) throw new ValidationError(problemsAt(parsed.error, locate), 'results');
			return { values: parsed.data, locate };
		},
		check: async (tx, { values, locate }, who) => {
			const [found] = await tx
				.select({ id: partnership.id })
				.from(partnership)
				.where(eq(partnership.slug, slug));
			if (!found) throw new NotFoundError('partnership');
			partnershipId = found.id;
			await authorizeOn(who, resultsPolicy.editFramework, { db: tx, id: found.id });
			await checkTags(tx, values, locate);
		},
		work: async (tx, { values }) => {
			const [before] = await tx
				.select({ results: countDistinct(result.id), indicators: count(indicator.id) })
				.from(result)
				.leftJoin(indicator, eq(indicator.resultId, result.id))
				.where(eq(result.partnershipId, partnershipId));
			const [linked] = await tx
				.select({ n: count() })
				.from(resultActivity)
				.where(and(eq(resultActivity.partnershipId, partnershipId), isNotNull(resultActivity.resultId)));
			await tx.delete(result).where(eq(result.partnershipId, partnershipId));
			const written = await writeFramework(tx, partnershipId, values);
			const replaced = { ...written, unlinkedActivities: linked?.n ?? 0 };
			return {
				result: replaced,
				audit: {
					action: 'results.replaceFramework',
					subject: `partnership:${partnershipId}`,
					before: { results: before?.results ?? 0, indicators: before?.indicators ?? 0 },
					after: { ...replaced, source }
				},
				public: true
			};
		}
	});
}
