import { sql } from 'drizzle-orm';
import type { Transaction } from '../kernel/database.ts';
import type { ThemeMerge } from '../kernel/module.ts';
import { partnerProfile } from './schema.ts';

/**
 * A topic merged into another: profiles listing `from` list `into` instead (once, in the place
 * `from` had). Returns how many profiles carried `from`.
 */
export async function moveThemeLinks(tx: Transaction, from: string, into: string): Promise<ThemeMerge> {
	const moved = await tx
		.update(partnerProfile)
		.set({
			themes: sql`(
				select coalesce(jsonb_agg(s.key order by s.first), '[]'::jsonb)
				from (
					select case when e.value = to_jsonb(${from}::text) then to_jsonb(${into}::text) else e.value end as key,
						min(e.ord) as first
					from jsonb_array_elements(${partnerProfile.themes}) with ordinality as e(value, ord)
					group by 1
				) s)`
		})
		.where(sql`${partnerProfile.themes} @> jsonb_build_array(${from}::text)`)
		.returning({ id: partnerProfile.id });
	return { count: moved.length, before: moved };
}
