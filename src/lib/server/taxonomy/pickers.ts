import { asc } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { pick, textLanguage } from '../kernel/localized.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import { sdgGoal, sdgTarget, theme } from './schema.ts';

export interface TagOptions {
	themes: { key: string; name: string; kind: 'principle' | 'topic' }[];
	goals: { number: number; title: string }[];
	/** `lang`: the language `text` is in (another than the page's where it is not yet written in it). */
	targets: { code: string; goal: number; title: string; text: string; lang: string }[];
}

/** Themes, goals and targets to choose from: public facts, for any form or filter that tags. */
export async function tagOptions(db: Database, locale: Locale): Promise<TagOptions> {
	const [themes, goals, targets] = await Promise.all([
		db
			.select({ key: theme.key, kind: theme.kind, name: theme.name })
			.from(theme)
			.orderBy(asc(theme.position), asc(theme.key)),
		db
			.select({ number: sdgGoal.number, title: sdgGoal.shortName })
			.from(sdgGoal)
			.orderBy(asc(sdgGoal.number)),
		db
			.select({ code: sdgTarget.code, goal: sdgTarget.goal, title: sdgTarget.title, text: sdgTarget.text })
			.from(sdgTarget)
			.orderBy(asc(sdgTarget.goal), asc(sdgTarget.position))
	]);
	return {
		themes: themes.map((t) => ({ key: t.key, kind: t.kind, name: pick(t.name, locale) })),
		goals: goals.map((g) => ({ number: g.number, title: pick(g.title, locale) })),
		targets: targets.map((t) => ({
			code: t.code,
			goal: t.goal,
			title: pick(t.title, locale),
			text: pick(t.text, locale),
			lang: textLanguage(t.text, locale)
		}))
	};
}
