import { and, eq, exists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Transaction } from '../kernel/database.ts';
import type { ThemeMerge } from '../kernel/module.ts';
import { articleRevision, articleTheme } from './schema.ts';

/**
 * A topic merged into another: every article tagged `from` is tagged `into` instead (an article
 * that had both keeps one link, at the more prominent position). Saved versions of articles
 * follow, so restoring one does not bring back a topic that no longer exists. Returns how many
 * articles carried `from`.
 */
export async function moveThemeLinks(tx: Transaction, from: string, into: string): Promise<ThemeMerge> {
	const links = await tx
		.select({ articleId: articleTheme.articleId, position: articleTheme.position })
		.from(articleTheme)
		.where(eq(articleTheme.themeKey, from));
	const other = alias(articleTheme, 'other');
	// Articles with both: the remaining link takes the lower (more prominent) position.
	await tx
		.update(articleTheme)
		.set({ position: sql`least(${articleTheme.position}, ${other.position})` })
		.from(other)
		.where(
			and(
				eq(other.themeKey, from),
				eq(articleTheme.themeKey, into),
				eq(articleTheme.articleId, other.articleId)
			)
		);
	await tx.delete(articleTheme).where(
		and(
			eq(articleTheme.themeKey, from),
			exists(
				tx
					.select({ one: sql`1` })
					.from(other)
					.where(and(eq(other.articleId, articleTheme.articleId), eq(other.themeKey, into)))
			)
		)
	);
	await tx.update(articleTheme).set({ themeKey: into }).where(eq(articleTheme.themeKey, from));
	// Saved versions name themes by key: `from` becomes `into`, once, where `from` stood first.
	const themes = sql`${articleRevision.snapshot}->'themes'`;
	await tx
		.update(articleRevision)
		.set({
			snapshot: sql`jsonb_set(${articleRevision.snapshot}, '{themes}', (
				select coalesce(jsonb_agg(s.key order by s.first), '[]'::jsonb)
				from (
					select case when e.value = to_jsonb(${from}::text) then to_jsonb(${into}::text) else e.value end as key,
						min(e.ord) as first
					from jsonb_array_elements(${themes}) with ordinality as e(value, ord)
					group by 1
				) s))`
		})
		.where(and(sql`jsonb_typeof(${themes}) = 'array'`, sql`${themes} @> jsonb_build_array(${from}::text)`));
	return { count: links.length, before: links };
}
