import { sql } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { pick, rows, type LocalizedText } from '../core/localized.ts';

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

const publishedIn = (locale: string) => sql`
	join article a on a.id = x.article_id and a.status = 'published' and a.published_at <= now()
	join article_translation t on t.article_id = a.id and t.lang = ${locale}`;

/** The 17 goals with their number of published articles in the language. */
export async function listGoals(db: Database, locale: string): Promise<GoalSummary[]> {
	const r = await rows<{
		number: number;
		colour: string;
		short_name: LocalizedText;
		title: LocalizedText;
		n: number;
	}>(
		db,
		sql`select g.number, g.colour, g.short_name, g.title,
			coalesce(c.n, 0)::int as n
			from sdg_goal g left join (
				select x.goal, count(*) as n from article_goal x ${publishedIn(locale)} group by x.goal
			) c on c.goal = g.number
			order by g.number`
	);
	return r.map((g) => ({
		number: g.number,
		colour: g.colour,
		shortName: pick(g.short_name, locale),
		title: pick(g.title, locale),
		count: g.n
	}));
}

/** One goal with its targets (each with its article count), or null. */
export async function getGoal(
	db: Database,
	locale: string,
	goal: number
): Promise<(GoalSummary & { targets: TargetSummary[] }) | null> {
	const goals = await listGoals(db, locale);
	const found = goals.find((g) => g.number === goal);
	if (!found) return null;
	const targets = await rows<{ code: string; text: LocalizedText; n: number }>(
		db,
		sql`select s.code, s.text, coalesce(c.n, 0)::int as n
			from sdg_target s left join (
				select x.target, count(*) as n from article_target x ${publishedIn(locale)} group by x.target
			) c on c.target = s.code
			where s.goal = ${goal} order by s.position`
	);
	return {
		...found,
		targets: targets.map((t) => ({
			code: t.code,
			text: pick(t.text, locale),
			lang: t.text[locale] ? locale : 'en',
			count: t.n
		}))
	};
}
