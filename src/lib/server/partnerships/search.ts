import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { matching, startsWord, type Found, type SearchMode } from '../kernel/fold.ts';
import { organization } from '../organizations/schema.ts';
import { partnership, partnershipMember } from './schema.ts';
import { listPartnerships, type PartnershipRow } from './queries.ts';

const qb = new QueryBuilder();
const p = alias(partnership, 'sp');
const m = alias(partnershipMember, 'sm');
const o = alias(organization, 'so');

/**
 * The partnerships whose summary meets one condition or one of whose members' names the other:
 * a union of two lookups, each through its trigram index (an OR across the join would compare
 * every partnership's summary instead).
 */
const summaryOrMember = (summary: SQL, memberName: SQL) =>
	sql`${partnership.id} in (${qb.select({ id: p.id }).from(p).where(summary)} union all ${qb
		.select({ id: m.partnershipId })
		.from(m)
		.innerJoin(o, eq(o.id, m.organizationId))
		.where(memberName)})`;

/**
 * Partnerships by their members' names and their summary, both languages, without accents: each
 * word begins a word of either ("hörby peja" finds the partnership of Hörby and Peja); when none
 * `similar`, near matches of the whole query. In the list's order (newest start first).
 */
export async function searchPartnerships(
	db: Database,
	locale: string,
	words: string[],
	mode: SearchMode,
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<PartnershipRow>> {
	if (!words.length) return { mode, total: 0, hits: [] };
	const match =
		mode === 'exact'
			? and(...words.map((w) => summaryOrMember(startsWord(p.folded, w), startsWord(o.folded, w))))!
			: summaryOrMember(matching(mode, p.folded, words), matching(mode, o.folded, words));
	// The page's ids and the count first, narrow: the list's columns are read for the page alone.
	const ids = await db
		.select({ id: partnership.id, total: sql<number>`(count(*) over ())::int` })
		.from(partnership)
		.where(match)
		.orderBy(sql`${partnership.startYear} desc nulls last`, desc(partnership.id))
		.limit(perPage)
		.offset((page - 1) * perPage);
	if (!ids.length) return { mode, total: 0, hits: [] };
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
	return { mode, total: ids[0]!.total, hits: found.rows };
}
