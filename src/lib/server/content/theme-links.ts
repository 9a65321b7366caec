import { eq, sql } from 'drizzle-orm';
import type { Transaction } from '../kernel/database.ts';
import type { ThemeMerge } from '../kernel/module.ts';
import { articleTheme } from './schema.ts';

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
	// Articles with both: the remaining link takes the lower (more prominent) position.
	await tx.execute(sql`
		update article_theme i set position = least(i.position, f.position)
		from article_theme f
		where f.theme_key = ${from} and i.theme_key = ${into} and i.article_id = f.article_id`);
	await tx.execute(sql`
		delete from article_theme f
		where f.theme_key = ${from}
			and exists (select 1 from article_theme i where i.article_id = f.article_id and i.theme_key = ${into})`);
	await tx.update(articleTheme).set({ themeKey: into }).where(eq(articleTheme.themeKey, from));
	// Saved versions name themes by key: `from` becomes `into`, once, where `from` stood first.
	await tx.execute(sql`
		update article_revision r set snapshot = jsonb_set(r.snapshot, '{themes}', (
			select coalesce(jsonb_agg(s.key order by s.first), '[]'::jsonb)
			from (
				select case when e.value = to_jsonb(${from}::text) then to_jsonb(${into}::text) else e.value end as key,
					min(e.ord) as first
				from jsonb_array_elements(r.snapshot->'themes') with ordinality as e(value, ord)
				group by 1
			) s))
		where jsonb_typeof(r.snapshot->'themes') = 'array'
			and r.snapshot->'themes' @> jsonb_build_array(${from}::text)`);
	return { count: links.length, before: links };
}
