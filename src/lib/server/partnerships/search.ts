import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { exactOrNear, matching, startsWord, type Found } from '../kernel/fold.ts';
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
	sql`${partnership.id} in (${qb.select({ id: p.id }).from(p).where(summary)} union ${qb
		.select({ id: m.partnershipId })
		.from(m)
		.innerJoin(o, eq(o.id, m.organizationId))
		.where(memberName)})`;

/**
 * Partnerships by their members' names and their summary, both languages, without accents: each
 * word begins a word of either ("hörby peja" finds the partnership of Hörby and Peja); when none
 * does, near matches of the whole query. In the list's order (newest start first).
 */
export async function searchPartnerships(
	db: Database,
	locale: string,
	words: string[],
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<PartnershipRow>> {
	return exactOrNear(words, async (mode) => {
		const match =
			mode === 'exact'
				? and(...words.map((w) => summaryOrMember(startsWord(p.folded, w), startsWord(o.folded, w))))!
				: summaryOrMember(matching(mode, p.folded, words), matching(mode, o.folded, words));
		const found = await listPartnerships(db, locale, { page, match }, perPage);
		return { total: found.total, hits: found.rows };
	});
}
