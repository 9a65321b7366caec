import { eq, sql, type SQL } from 'drizzle-orm';
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

/**
 * The ids of the partnerships whose summary meets one condition or one of whose members' names
 * the other: a union of two lookups, each through its trigram index (an OR across the join would
 * compare every partnership's summary instead).
 */
const summaryOrMember = (summary: SQL, memberName: SQL) =>
	sql`(${qb.select({ id: p.id }).from(p).where(summary)} union ${qb
		.select({ id: m.partnershipId })
		.from(m)
		.innerJoin(o, eq(o.id, m.organizationId))
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
	// Every word in the summary or a member's name: the partnerships each word finds, intersected;
	// the list's page of them, with the count, in one statement.
	const sets = words.map((w) => summaryOrMember(startsWord(p.folded, w), startsWord(o.folded, w)));
	const found = await listPartnerships(
		db,
		locale,
		{ page, match: sql`${partnership.id} in (select u.id from (${sql.join(sets, sql` intersect `)}) u)` },
		perPage
	);
	return { mode: 'exact', total: found.total, hits: found.rows };
}
