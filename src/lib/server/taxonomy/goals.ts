import { asc, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { pick } from '../kernel/localized.ts';
import { sdgGoal, sdgTarget } from './schema.ts';

export interface GoalSummary {
	number: number;
	colour: string;
	shortName: string;
	title: string;
	/** Published articles in the language tagged with the goal (or one of its targets). */
	count: number;
}

export interface TargetSummary {
	code: string;
	text: string;
	/** Whether `text` is in the asked language or a fallback (targets are English until translated). */
	lang: string;
	count: number;
}

/** How many items carry each goal and target; whoever counts (the inspiration bank) fills it in. */
export interface GoalCounts {
	goals: ReadonlyMap<number, number>;
	targets: ReadonlyMap<string, number>;
}

const none: GoalCounts = { goals: new Map(), targets: new Map() };

export { goalOfTarget } from '#lib/sdg.ts';

/** The 17 goals in the language, each with its count. */
export async function listGoals(
	db: Database,
	locale: string,
	counts: GoalCounts = none
): Promise<GoalSummary[]> {
	const goals = await db
		.select({
			number: sdgGoal.number,
			colour: sdgGoal.colour,
			shortName: sdgGoal.shortName,
			title: sdgGoal.title
		})
		.from(sdgGoal)
		.orderBy(asc(sdgGoal.number));
	return goals.map((g) => ({
		number: g.number,
		colour: g.colour,
		shortName: pick(g.shortName, locale),
		title: pick(g.title, locale),
		count: counts.goals.get(g.number) ?? 0
	}));
}

/** One goal with its targets (each with its count), or null. */
export async function getGoal(
	db: Database,
	locale: string,
	goal: number,
	counts: GoalCounts = none
): Promise<(GoalSummary & { targets: TargetSummary[] }) | null> {
	const [goals, targets] = await Promise.all([
		listGoals(db, locale, counts),
		db
			.select({ code: sdgTarget.code, text: sdgTarget.text })
			.from(sdgTarget)
			.where(eq(sdgTarget.goal, goal))
			.orderBy(asc(sdgTarget.position))
	]);
	const found = goals.find((g) => g.number === goal);
	if (!found) return null;
	return {
		...found,
		targets: targets.map((t) => ({
			code: t.code,
			text: pick(t.text, locale),
			lang: t.text[locale] ? locale : 'en',
			count: counts.targets.get(t.code) ?? 0
		}))
	};
}
