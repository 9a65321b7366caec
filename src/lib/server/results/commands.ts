import { eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database, Transaction } from '../kernel/database.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorizeOn, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { partnership } from '../partnerships/schema.ts';
import { sdgGoal, sdgTarget, theme } from '../taxonomy/schema.ts';
import { frameworkShape, type FrameworkValues, type IndicatorValues } from './input.ts';
import {
	flatten,
	periodKey,
	placed,
	storedByPlace,
	writeInPlace,
	type Place,
	type Placed,
	type Stored
} from './in-place.ts';
import { resultsPolicy } from './policy.ts';
import { frameworkOf } from './queries.ts';
import { lockedYears } from './reports/queries.ts';

/**
 * What a replacement did. Results are matched by place ("1.2"), so a routine edit keeps them: `kept`
 * kept their ids (and what points at them), `added` are new, `removed` went with what hung under
 * them; `unlinkedActivities` lost the removed result they were linked to.
 */
export interface Replaced {
	results: number;
	indicators: number;
	kept: number;
	added: number;
	removed: number;
	unlinkedActivities: number;
}

export type { Place };

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

/** A period's index in what was sent: the parse sorts periods by date, `locate` reads them unsorted. */
function sentIndex(
	sent: unknown,
	at: readonly PropertyKey[],
	p: { start: string; end: string },
	parsed: number
) {
	let node = sent;
	for (const key of at)
		node =
			node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
	const periods =
		node !== null && typeof node === 'object' ? (node as { periods?: unknown }).periods : undefined;
	const i = Array.isArray(periods)
		? periods.findIndex(
				(q: { start?: unknown; end?: unknown } | null) => q?.start === p.start && q?.end === p.end
			)
		: -1;
	return i === -1 ? parsed : i;
}

/** A period's targets and actuals as one comparable text, whatever their order. */
const figuresOf = (p: IndicatorValues['periods'][number] | undefined) =>
	JSON.stringify(
		p ? [p.targets, p.actuals].map((fs) => fs.map((f) => JSON.stringify(f)).toSorted()) : [[], []]
	);

/**
 * A year whose report is sent or approved is locked (reports/queries.ts `lockedYears`): no figure of
 * a period ending in it may be added, changed or removed, whatever the source. Each such period is
 * named where it is in what was sent or, when it is gone, at the nearest place that is still there.
 */
function lockedProblems(
	stored: Map<string, Stored>,
	incoming: readonly Placed[],
	locked: readonly number[],
	locate: Locate,
	sent: unknown
): FieldProblem<'results'>[] {
	const years = new Set(locked);
	const isLocked = (p: { end: string }) => years.has(Number(p.end.slice(0, 4)));
	type Seen = {
		result: string;
		indicator: number;
		year: string;
		at: PropertyKey[];
		before?: string;
		after?: string;
	};
	const seen = new Map<string, Seen>();
	const where = new Map<string, PropertyKey[]>();
	for (const r of incoming) {
		where.set(r.place, r.path);
		r.node.indicators.forEach((ind, j) => {
			const at = [...r.path, 'indicators', j];
			where.set(`${r.place}#${r.numbers[j]}`, at);
			ind.periods.forEach((p, n) => {
				if (!isLocked(p)) return;
				const key = `${r.place}#${r.numbers[j]}/${periodKey(p)}`;
				const period = [...at, 'periods', sentIndex(sent, at, p, n)];
				seen.set(key, {
					result: r.place,
					indicator: r.numbers[j]!,
					year: p.end.slice(0, 4),
					at: period,
					after: figuresOf(p)
				});
			});
		});
	}
	const nearest = (place: string, n: number): PropertyKey[] => {
		const found = where.get(`${place}#${n}`);
		if (found) return found;
		for (let p = place; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
			const up = where.get(p);
			if (up) return up;
		}
		return [];
	};
	for (const [place, s] of stored)
		s.values.indicators.forEach((ind, j) =>
			ind.periods.filter(isLocked).forEach((p) => {
				const key = `${place}#${j + 1}/${periodKey(p)}`;
				const entry = seen.get(key) ?? {
					result: place,
					indicator: j + 1,
					year: p.end.slice(0, 4),
					at: nearest(place, j + 1)
				};
				seen.set(key, { ...entry, before: figuresOf(p) });
			})
		);
	const problems: FieldProblem<'results'>[] = [];
	for (const s of seen.values()) {
		if ((s.before ?? figuresOf(undefined)) === (s.after ?? figuresOf(undefined))) continue;
		const field = locate(s.at);
		if (problems.some((p) => p.field === field)) continue;
		const params = { year: s.year, result: s.result, indicator: String(s.indicator) };
		problems.push({ field, code: 'lockedYear', params });
	}
	return problems;
}

/**
 * Replaces a partnership's whole framework (its coordinator, or the programme's editors) with the
 * values `read` gives (a form's, an IATI file's or a spreadsheet's: it may refuse them with its own
 * problems), in one transaction, updating in place: what is at the same place keeps its id, so the
 * plan's activities (and anything else pointing at a result) keep their links through a routine
 * edit. Places are positions: a result moved to another place is the result at that place changed,
 * and a link follows the place, not the text. A figure of a locked year may not change.
 */
export async function replaceFramework(
	db: Database,
	actor: Actor,
	slug: string,
	source: 'form' | 'iati' | 'spreadsheet',
	read: () => { values: unknown; locate?: Locate; names?: readonly Place[] }
): Promise<Replaced> {
	let partnershipId = 0;
	let stored = new Map<string, Stored>();
	let incoming: Placed[] = [];
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnFramework,
		parse: () => {
			const { values: sent, locate = dotted, names } = read();
			const parsed = frameworkShape.safeParse(sent);
			if (!parsed.success) throw new ValidationError(problemsAt(parsed.error, locate), 'results');
			return { values: parsed.data, locate, names, sent };
		},
		check: async (tx, { values, locate, names, sent }, who) => {
			// Two replacements of one framework wait for each other: each compares with what is stored.
			const [found] = await tx
				.select({ id: partnership.id })
				.from(partnership)
				.where(eq(partnership.slug, slug))
				.for('update');
			if (!found) throw new NotFoundError('partnership');
			partnershipId = found.id;
			await authorizeOn(who, resultsPolicy.editFramework, { db: tx, id: found.id });
			await checkTags(tx, values, locate);
			stored = storedByPlace(await frameworkOf(tx, found.id));
			incoming = placed(values, names);
			const locked = await lockedYears(tx, found.id);
			const problems = locked.length ? lockedProblems(stored, incoming, locked, locate, sent) : [];
			if (problems.length) throw new ValidationError(problems, 'results');
		},
		work: async (tx) => {
			const before = {
				results: stored.size,
				indicators: [...stored.values()].reduce((n, s) => n + s.indicators.length, 0)
			};
			const replaced = await writeInPlace(tx, partnershipId, incoming, stored);
			return {
				result: replaced,
				audit: {
					action: 'results.replaceFramework',
					subject: `partnership:${partnershipId}`,
					before,
					after: { ...replaced, source }
				},
				public: true
			};
		}
	});
}
