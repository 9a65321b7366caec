import { eq, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { nearness, startsWords, wordPlaceholders, wordValues, type Found } from '../kernel/fold.ts';
import { builtOnce } from '../kernel/sql.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { sdgGoal, sdgTarget } from './schema.ts';

export type GoalHit =
	| { kind: 'goal'; goal: number; colour: string; title: string }
	| { kind: 'target'; goal: number; code: string; title: string; text: string };

// Goals and targets in one statement (each statement of a search costs about a millisecond of
// planning and round trip): goals first in their order, as if nearest of all.
const matching = builtOnce((db: Database, count: number) => {
	const words = wordPlaceholders(count);
	return db
		.select({
			// Named here: a union's columns take the first part's names.
			goal: sql<number>`${sdgGoal.number}`.as('goal'),
			code: sql<string | null>`null::text`.as('code'),
			colour: sql<string | null>`${sdgGoal.colour}`.as('colour'),
			title: sql<LocalizedText>`${sdgGoal.shortName}`.as('title'),
			text: sql<LocalizedText | null>`null::jsonb`.as('text'),
			near: sql<number>`2::real`.as('near'),
			position: sql<number>`0`.as('position')
		})
		.from(sdgGoal)
		.where(startsWords(sdgGoal.words, words.each))
		.unionAll(
			db
				.select({
					goal: sdgTarget.goal,
					code: sdgTarget.code,
					colour: sql<string | null>`null::text`,
					title: sdgTarget.title,
					text: sdgTarget.text,
					near: sql<number>`${nearness(sdgTarget.foldedTitle, words.all)}::real`,
					position: sdgTarget.position
				})
				.from(sdgTarget)
				.where(startsWords(sdgTarget.words, words.each))
		)
		.orderBy(sql`near desc`, sql`goal`, sql`position`)
		.prepare('');
});

/**
 * Goals and targets whose names or texts (both languages, without accents) the words begin:
 * "korruption" offers target 16.5 on either site. Goals first, then the targets whose short
 * title is closest, then in their order (the targets through their words' index, the 17 goals read whole).
 */
export async function searchGoals(
	db: Database,
	locale: string,
	words: string[],
	/** The query as typed: a target's number ("16.5", "16.A") is that target alone. */
	asked = ''
): Promise<Found<GoalHit>> {
	const code = asked.trim().toLowerCase();
	const byCode = targetCode.test(code)
		? await db
				.select({ code: sdgTarget.code, goal: sdgTarget.goal, title: sdgTarget.title, text: sdgTarget.text })
				.from(sdgTarget)
				.where(eq(sdgTarget.code, code))
		: [];
	if (byCode.length) return { total: 1, hits: byCode.map((t) => targetHit(t, locale)) };
	if (!words.length) return { total: 0, hits: [] };
	const rows = await matching(db, words.length).execute(wordValues(words));
	const hits: GoalHit[] = rows.map((r) =>
		r.code === null
			? { kind: 'goal' as const, goal: r.goal, colour: r.colour ?? '', title: pick(r.title, locale) }
			: targetHit({ code: r.code, goal: r.goal, title: r.title, text: r.text ?? {} }, locale)
	);
	return { total: hits.length, hits };
}

const targetCode = /^(1[0-7]|[1-9])\.(\d{1,2}|[a-z])$/;

function targetHit(
	t: { code: string; goal: number; title: LocalizedText; text: LocalizedText },
	locale: string
): GoalHit {
	return {
		kind: 'target',
		goal: t.goal,
		code: t.code,
		title: pick(t.title, locale),
		text: pick(t.text, locale)
	};
}
