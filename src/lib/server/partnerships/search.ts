import { and, eq, or, sql, type Placeholder, type SQLWrapper } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { startsWord, wordPlaceholders, wordValues, type Found } from '../kernel/fold.ts';
import { builtOnce } from '../kernel/sql.ts';
import { organization } from '../organizations/schema.ts';
import { partnership, partnershipMember } from './schema.ts';
import { newestFirst, pageRows, pageStatement, partnershipRow, type PartnershipRow } from './queries.ts';

const qb = new QueryBuilder();
const m = alias(partnershipMember, 'sm');
const o = alias(organization, 'so');

/**
 * A word begins a word of the partnership's summary or of one of its members' names. Both sides
 * are index lookups that PostgreSQL ORs as bitmaps: the members' ids come as an array (an `in`
 * with a subquery would have every partnership checked against them instead).
 */
const summaryOrMember = (p: { id: SQLWrapper; words: SQLWrapper }, word: Placeholder) =>
	or(
		startsWord(p.words, word),
		sql`${p.id} = any(array(${qb
			.select({ id: m.partnershipId })
			.from(m)
			.innerJoin(o, eq(o.id, m.organizationId))
			.where(startsWord(o.words, word))}))`
	)!;

const everyWord = (p: { id: SQLWrapper; words: SQLWrapper }, count: number) =>
	and(...wordPlaceholders(count).each.map((word) => summaryOrMember(p, word)))!;

const matching = builtOnce((db: Database, count: number) =>
	pageStatement(
		db,
		everyWord(partnership, count),
		sql.placeholder('limit'),
		sql.placeholder('offset')
	).prepare('')
);

/** How many of the newest partnerships the overview looks through for its first few. */
const newestLooked = 200;

/**
 * The overview's few: the first matches among the newest partnerships (the list's index walked,
 * not every match read and sorted), with the matches counted only up to a limit. A word in most
 * summaries matched all 2,003 of the bench corpus's partnerships, each read for a count and a
 * sort to show four (PostgreSQL: 1.06 → 0.30 ms). The newest are chosen in a subquery of their
 * own so that no plan can read the matches first, whatever it guesses of the words. The count's
 * limit is written into the statement: for a limit it cannot see, a plan kept for every run
 * guesses a tenth of the rows, and then read the table for the count a row at a time (7 ms).
 */
const newestMatching = builtOnce((db: Database, shape: `${number} words, ${number}`) => {
	const [count, upTo] = shape.split(' words, ').map(Number) as [number, number];
	const newest = db
		.select({ id: partnership.id, startYear: partnership.startYear, words: partnership.words })
		.from(partnership)
		.orderBy(...newestFirst())
		.limit(newestLooked)
		.as('newest');
	const counted = sql<number>`(select count(*) from (select 1 from ${partnership} where ${everyWord(partnership, count)}
		limit ${sql.raw(String(upTo + 1))}) counted)::int`;
	// When the newest alone hold more matches than the count goes, every match is not looked for
	// (PGlite: 1.44 → 1.09 ms for a word in every summary; PostgreSQL: 0.72 → 0.66 ms).
	const total = sql<number>`case when count(*) over () > ${sql.raw(String(upTo))} then (count(*) over ())::int else ${counted} end`;
	const chosen = db
		.select({ id: newest.id, total: total.as('total') })
		.from(newest)
		.where(everyWord(newest, count))
		.orderBy(...newestFirst(newest))
		.limit(sql.placeholder('limit'))
		.as('chosen');
	return pageRows(db, chosen).prepare('');
});

/**
 * Partnerships by their members' names and their summary, both languages, without accents: each
 * word begins a word of either ("hörby peja" finds the partnership of Hörby and Peja). In the
 * list's order (newest start first), the page and the count in one statement. With `upTo` (the
 * overview's first page), a word with more matches is counted only that far ("at least").
 */
export async function searchPartnerships(
	db: Database,
	locale: string,
	words: string[],
	{ page, perPage, upTo }: { page: number; perPage: number; upTo?: number }
): Promise<Found<PartnershipRow>> {
	if (!words.length) return { total: 0, hits: [] };
	if (upTo && page === 1) {
		const rows = await newestMatching(db, `${words.length} words, ${upTo}`).execute({
			...wordValues(words),
			limit: perPage
		});
		const counted = rows[0]?.total ?? 0;
		// The page is the first of all matches when it is full, or when it holds every match (none
		// among the newest says nothing of the count: the whole search then, as for a later page).
		if (rows.length === perPage || (rows.length && counted === rows.length))
			return {
				total: Math.min(counted, upTo),
				...(counted > upTo && { more: true }),
				hits: rows.map((r) => partnershipRow(r, locale))
			};
	}
	const rows = await matching(db, words.length).execute({
		...wordValues(words),
		limit: perPage,
		offset: (page - 1) * perPage
	});
	return { total: rows[0]?.total ?? 0, hits: rows.map((r) => partnershipRow(r, locale)) };
}
