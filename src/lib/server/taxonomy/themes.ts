import { asc } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { pick } from '../kernel/localized.ts';
import { theme } from './schema.ts';

export interface ThemeRef {
	key: string;
	name: string;
}

export interface ThemeSummary extends ThemeRef {
	kind: 'principle' | 'topic';
	description: string;
	/** Items carrying the theme, as counted by whoever asks (0 when nobody counts). */
	count: number;
}

/** All themes in the language, principles first, each with its count. */
export async function listThemes(
	db: Database,
	locale: string,
	counts: ReadonlyMap<string, number> = new Map()
): Promise<ThemeSummary[]> {
	const themes = await db
		.select({ key: theme.key, kind: theme.kind, name: theme.name, description: theme.description })
		.from(theme)
		.orderBy(asc(theme.position), asc(theme.key));
	return themes.map((t) => ({
		key: t.key,
		kind: t.kind,
		name: pick(t.name, locale),
		description: pick(t.description, locale),
		count: counts.get(t.key) ?? 0
	}));
}
