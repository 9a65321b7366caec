import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { startsWord, type Found } from '../kernel/fold.ts';
import { organization } from '../organizations/schema.ts';
import { partnership, partnershipMember } from './schema.ts';
import { listPartnerships, type PartnershipRow } from './queries.ts';

const qb = new QueryBuilder();
const p = alias(partnership, 'sp');
const m = alias(partnershipMember, 'sm');
const o = alias(organization, 'so');
const mp = alias(partnership, 'smp');

/**
 * The partnerships (id and start year, for the order) whose summary meets one condition or one of
 * whose members' names the other: a union of two lookups, each through its trigram index (an OR
 * across the join would compare every partnership's summary instead). Carrying the start year in
 * each lookup spares joining every match to the table again: 6.5 → 3.6 ms for a word in 2,003 of
 * 2,004 partnerships (pgbench on the bench corpus), 2.5 → 1.5 ms for a name.
 */
const summaryOrMember = (summary: SQL, memberName: SQL) =>
	sql`(${qb.select({ id: p.id, startYear: p.startYear }).from(p).where(summary)} union ${qb
		.select({ id: mp.id, startYear: mp.startYear })
		.from(m)
		.innerJoin(o, eq(o.id, m.organizationId))
		.innerJoin(mp, eq(mp.id, m.partnershipId))
		.where(memberName)})`;

/**
 * Partnerships by their members' names and their summary, both languages, without accents: each
 * word begins a word of either ("hörby peja" finds the partnership of Hörby and Peja). In the
 * list's order (newest start first).
 */
export async function searchPartnerships(
	db: Database,
	locale: string,
	words: string[],
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<PartnershipRow>> {
	if (!words.length) return { mode: 'exact', total: 0, hits: [] };
	// Every word in the summary or a member's name: the partnerships each word finds, intersected.
	const sets = words.map((w) => summaryOrMember(startsWord(p.folded, w), startsWord(o.folded, w)));
	// The page's ids and the count first, narrow: the list's columns are read for the page alone.
	const ids = await db
		.select({ id: sql<number>`u.id`, total: sql<number>`(count(*) over ())::int` })
		.from(sql`(${sql.join(sets, sql` intersect `)}) u`)
		.orderBy(sql`u.start_year desc nulls last, u.id desc`)
		.limit(perPage)
		.offset((page - 1) * perPage);
	if (!ids.length) return { mode: 'exact', total: 0, hits: [] };
	const found = await listPartnerships(
		db,
		locale,
		{
			page: 1,
			match: inArray(
				partnership.id,
				ids.map((r) => r.id)
			)
		},
		perPage
	);
	return { mode: 'exact', total: ids[0]!.total, hits: found.rows };
}
