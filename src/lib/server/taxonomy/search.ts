import { asc, desc, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { nearness, startsWords, type Found } from '../kernel/fold.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { sdgGoal, sdgTarget } from './schema.ts';

export type GoalHit =
	| { kind: 'goal'; goal: number; colour: string; title: string }
	| { kind: 'target'; goal: number; code: string; title: string; text: string };

/**
 * Goals and targets whose names or texts (both languages, without accents) the words begin:
 * "korruption" offers target 16.5 on either site. Goals first, then the targets whose short
 * title is closest, then in their order. 186 rows: read whole, no index needed.
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
	if (byCode.length) return { mode: 'exact', total: 1, hits: byCode.map((t) => targetHit(t, locale)) };
	if (!words.length) return { mode: 'exact', total: 0, hits: [] };
	const [goals, targets] = await Promise.all([
		db
			.select({ number: sdgGoal.number, colour: sdgGoal.colour, shortName: sdgGoal.shortName })
			.from(sdgGoal)
			.where(startsWords(sdgGoal.folded, words))
			.orderBy(asc(sdgGoal.number)),
		db
			.select({ code: sdgTarget.code, goal: sdgTarget.goal, title: sdgTarget.title, text: sdgTarget.text })
			.from(sdgTarget)
			.where(startsWords(sdgTarget.folded, words))
			.orderBy(desc(nearness(sdgTarget.foldedTitle, words)), asc(sdgTarget.goal), asc(sdgTarget.position))
	]);
	const hits: GoalHit[] = [
		...goals.map((g) => ({
			kind: 'goal' as const,
			goal: g.number,
			colour: g.colour,
			title: pick(g.shortName, locale)
		})),
		...targets.map((t) => targetHit(t, locale))
	];
	return { mode: 'exact', total: hits.length, hits };
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
