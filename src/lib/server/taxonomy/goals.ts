import { asc, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { pick, textLanguage, type LocalizedText } from '../kernel/localized.ts';
import { sdgGoal, sdgTarget } from './schema.ts';

export interface GoalSummary {
	number: number;
	colour: string;
	shortName: string;
	title: string;
	/** The language `title` is in. */
	titleLang: string;
	/** Published articles in the language tagged with the goal (or one of its targets). */
	count: number;
}

export interface TargetSummary {
	code: string;
	title: string;
	text: string;
	/** The language `text` is in: the asked one, or the one it falls back to. */
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
		titleLang: textLanguage(g.title, locale),
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
			.select({ code: sdgTarget.code, title: sdgTarget.title, text: sdgTarget.text })
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
			title: pick(t.title, locale),
			text: pick(t.text, locale),
			lang: textLanguage(t.text, locale),
			count: counts.targets.get(t.code) ?? 0
		}))
	};
}

/** A target as a page shows it: its title and text in the language, and the language the text is in. */
export function targetInLanguage(
	t: { code: string; title?: LocalizedText | null; text: LocalizedText },
	locale: string
): { code: string; title: string; text: string; lang: string } {
	return {
		code: t.code,
		title: pick(t.title, locale),
		text: pick(t.text, locale),
		lang: textLanguage(t.text, locale)
	};
}

/** Every target's short title in the language, by code (for filters and chips that show targets). */
export async function targetTitles(db: Database, locale: string): Promise<Map<string, string>> {
	const rows = await db.select({ code: sdgTarget.code, title: sdgTarget.title }).from(sdgTarget);
	return new Map(rows.map((t) => [t.code, pick(t.title, locale)]));
}
