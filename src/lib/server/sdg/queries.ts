import { sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { pick, type LocalizedText } from '../core/localized.ts';
import { rows } from '../db/rows.ts';
import { countBy, visibleArticles } from '../content/facets.ts';

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

/** The 17 goals with their number of published articles in the language. */
export async function listGoals(db: Database, locale: string): Promise<GoalSummary[]> {
	const [goals, entries] = await Promise.all([
		rows<{ number: number; colour: string; short_name: LocalizedText; title: LocalizedText }>(
			db,
			sql`select number, colour, short_name, title from sdg_goal order by number`
		),
		visibleArticles(db, locale)
	]);
	const counts = countBy(entries, (e) => e.goals);
	return goals.map((g) => ({
		number: g.number,
		colour: g.colour,
		shortName: pick(g.short_name, locale),
		title: pick(g.title, locale),
		count: counts.get(g.number) ?? 0
	}));
}

/** One goal with its targets (each with its article count), or null. */
export async function getGoal(
	db: Database,
	locale: string,
	goal: number
): Promise<(GoalSummary & { targets: TargetSummary[] }) | null> {
	const found = (await listGoals(db, locale)).find((g) => g.number === goal);
	if (!found) return null;
	const [targets, entries] = await Promise.all([
		rows<{ code: string; text: LocalizedText }>(
			db,
			sql`select code, text from sdg_target where goal = ${goal} order by position`
		),
		visibleArticles(db, locale)
	]);
	const counts = countBy(entries, (e) => e.targets);
	return {
		...found,
		targets: targets.map((t) => ({
			code: t.code,
			text: pick(t.text, locale),
			lang: t.text[locale] ? locale : 'en',
			count: counts.get(t.code) ?? 0
		}))
	};
}
