import { and, eq, or, sql, type Placeholder } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { startsWord, wordPlaceholders, wordValues, type Found } from '../kernel/fold.ts';
import { builtOnce } from '../kernel/sql.ts';
import { organization } from '../organizations/schema.ts';
import { partnership, partnershipMember } from './schema.ts';
import { pageStatement, partnershipRow, type PartnershipRow } from './queries.ts';

const qb = new QueryBuilder();
const m = alias(partnershipMember, 'sm');
const o = alias(organization, 'so');

/**
 * A word begins a word of the partnership's summary or of one of its members' names. Both sides
 * are index lookups that PostgreSQL ORs as bitmaps: the members' ids come as an array (an `in`
 * with a subquery would have every partnership checked against them instead).
 */
const summaryOrMember = (word: Placeholder) =>
	or(
		startsWord(partnership.words, word),
		sql`${partnership.id} = any(array(${qb
			.select({ id: m.partnershipId })
			.from(m)
			.innerJoin(o, eq(o.id, m.organizationId))
			.where(startsWord(o.words, word))}))`
	)!;

const matching = builtOnce((db: Database, count: number) =>
	pageStatement(
		db,
		and(...wordPlaceholders(count).each.map(summaryOrMember))!,
		sql.placeholder('limit'),
		sql.placeholder('offset')
	).prepare('')
);

/**
 * Partnerships by their members' names and their summary, both languages, without accents: each
 * word begins a word of either ("hörby peja" finds the partnership of Hörby and Peja). In the
 * list's order (newest start first), the page and the count in one statement.
 */
export async function searchPartnerships(
	db: Database,
	locale: string,
	words: string[],
	{ page, perPage }: { page: number; perPage: number }
): Promise<Found<PartnershipRow>> {
	if (!words.length) return { total: 0, hits: [] };
	const rows = await matching(db, words.length).execute({
		...wordValues(words),
		limit: perPage,
		offset: (page - 1) * perPage
	});
	return { total: rows[0]?.total ?? 0, hits: rows.map((r) => partnershipRow(r, locale)) };
}
