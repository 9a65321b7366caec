import { randomBytes } from 'node:crypto';
import { and, eq, inArray, sql, type Placeholder, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { cleanLine } from '../kernel/input.ts';
import { theme } from '../taxonomy/schema.ts';
import { searchConfig, type ThemeRef } from './queries.ts';
import { article, articleTheme, articleTranslation, type ArticleKind } from './schema.ts';
import { pageSize } from './input.ts';
import { builtOnce, isAnyOf, subquery } from '../kernel/sql.ts';
import { foldedStartsWords, searchWords } from '../kernel/fold.ts';
import { locales, type Locale } from '#lib/i18n/index.ts';
import { inListOrder, pageOfMatches, visibleArticles, type FacetEntry } from './facets.ts';

export interface SearchHit {
	slug: string;
	kind: ArticleKind;
	title: string;
	publishedAt: string;
	themes: ThemeRef[];
	/** HTML: the matching passage, escaped, with the matched words in <mark>. */
	snippet: string;
}

export interface SearchResult {
	/** The language of the texts found: the reader's, or another when only that one had matches. */
	lang: Locale;
	total: number;
	/** `total` is a lower bound: the matches were counted only up to `countUpTo`. */
	more?: boolean;
	page: number;
	pages: number;
	hits: SearchHit[];
}

const entities: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'",
	'&nbsp;': ' '
};
const escapes: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Stored text (a body without its tags keeps its entities) → safe HTML, without marks. */
export function plainSnippet(text: string): string {
	return text
		.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => entities[e] ?? e)
		.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/**
 * Which words to mark travels beside the text, never inside it as a fixed sign: the database puts
 * a marker made of a random number drawn for this one search around each matched word. No stored
 * text can hold it (the text was written before the number existed), so no stored character can
 * open or close a mark, and every mark that opens closes.
 */
export function newMarkers(): { open: string; close: string } {
	const nonce = randomBytes(12).toString('hex');
	return { open: `S${nonce}`, close: `E${nonce}` };
}

/** Safe HTML of a passage with <mark> around each word between the markers. */
export function markedSnippet(headline: string | null, markers: { open: string; close: string }): string {
	const { open, close } = markers;
	let html = '';
	let rest = headline ?? '';
	for (let i = rest.indexOf(open); i >= 0; i = rest.indexOf(open)) {
		const j = rest.indexOf(close, i + open.length);
		if (j < 0) break;
		html += `${plainSnippet(rest.slice(0, i))}<mark>${plainSnippet(rest.slice(i + open.length, j))}</mark>`;
		rest = rest.slice(j + close.length);
	}
	return html + plainSnippet(rest.replaceAll(open, '').replaceAll(close, ''));
}

/** The articles whose text in a language matches a query. */
export interface TextMatches {
	/** Every match, by id. */
	all: number[];
	/** The rank of those whose title or teaser matches; the others rank below them all. */
	head: Map<number, number>;
}

/**
 * A visitor's words as a text query, parsed once, as a subquery: in a plan PostgreSQL keeps for a
 * prepared statement (kernel/prepared.ts) the call would stay an expression, parsed again for every
 * row it is compared with (the match: 2.8 → 7.1 ms).
 */
const tsQuery = (config: Placeholder, text: Placeholder) =>
	sql`(select websearch_to_tsquery(${config}::regconfig, ${text}))`;

/**
 * The articles whose text in a language matches a query, in one row: finding thousands of matches
 * in the index costs less than reading thousands of rows (on PGlite, three times less).
 */
export async function textMatches(db: Database, locale: string, text: string): Promise<TextMatches> {
	const [row] = await matching(db).execute({ config: searchConfig(locale), text, lang: locale });
	return { all: row?.all ?? [], head: new Map(row?.head ?? []) };
}

const matching = builtOnce((db: Database) => {
	const query = tsQuery(sql.placeholder('config'), sql.placeholder('text'));
	// Ranked only where the title or teaser matches (299 of 3,079 matches of a common word in the
	// bench corpus): 5.4 → 4.5 ms in PostgreSQL.
	return (
		db
			.select({
				all: sql<number[] | null>`json_agg(${articleTranslation.articleId})`,
				head: sql<
					[number, number][] | null
				>`json_agg(json_build_array(${articleTranslation.articleId}, ts_rank(${articleTranslation.searchHead}, ${query})))
					filter (where ${articleTranslation.searchHead} @@ ${query})`
			})
			.from(articleTranslation)
			// The language is compared as an expression, which no index serves: PostgreSQL then keeps
			// the language's rows among the text index's matches, instead of reading every entry of the
			// language's index to AND the two (9 → 5 ms for 3,000 matches among 10,000 articles).
			.where(
				and(
					sql`(${articleTranslation.lang} || '') = ${sql.placeholder('lang')}`,
					sql`${articleTranslation.search} @@ ${query}`
				)
			)
			.prepare('')
	);
});

/**
 * A search may count a common word's matches only up to this many: the site search's overview
 * says "at least" then, and finds its few passages among the title and teaser matches alone.
 * Counting every match of a word in a third of 10,000 articles read them all for every search
 * (the statement on PGlite: 3.06 → 1.39 ms at 1,000). The overview shows five of them: past a
 * hundred the figure tells no more than "many", and reading a thousand cost almost a millisecond
 * more a search (the articles' part on PGlite, median of five runs: 4.98 → 4.19 ms). A kind's own
 * page counts every match.
 */
export const countUpTo = 100;

/**
 * Up to `upTo` matches (by id, in no order; none when the title and teaser matches alone are
 * more), and every title or teaser match with its rank.
 */
interface SomeMatches extends TextMatches {
	/** Every match is in `all`. */
	complete: boolean;
	/** The query excludes words: a title or teaser match may then not match the whole text. */
	negated: boolean;
}

async function someMatches(db: Database, locale: string, text: string, upTo: number): Promise<SomeMatches> {
	const [row] = await someMatching(db).execute({
		config: searchConfig(locale),
		text,
		lang: locale,
		upTo: upTo + 1
	});
	// No `all` when not looked for: the title and teaser matches alone are more than `upTo`.
	const all = row?.all;
	return {
		all: all?.slice(0, upTo) ?? [],
		head: new Map(row?.head ?? []),
		complete: !!all && all.length <= upTo,
		negated: row?.negated ?? false
	};
}

const someMatching = builtOnce((db: Database) => {
	const query = tsQuery(sql.placeholder('config'), sql.placeholder('text'));
	const lang = sql.placeholder('lang');
	const upTo = sql.placeholder('upTo');
	const inLang = sql`(${articleTranslation.lang} || '') = ${lang}`;
	// The title and teaser matches through their own index, however many the whole text has.
	const head = db.$with('head').as(
		db
			.select({
				id: sql<number>`${articleTranslation.articleId}`.as('id'),
				rank: sql<number>`ts_rank(${articleTranslation.searchHead}, ${query})`.as('rank')
			})
			.from(articleTranslation)
			.where(and(inLang, sql`${articleTranslation.searchHead} @@ ${query}`))
	);
	const some = db
		.select({ id: articleTranslation.articleId })
		.from(articleTranslation)
		.where(and(inLang, sql`${articleTranslation.search} @@ ${query}`))
		.limit(upTo)
		.as('some');
	return db
		.with(head)
		.select({
			head: sql<[number, number][] | null>`json_agg(json_build_array(${head.id}, ${head.rank}))`,
			// Where the title and teaser matches are already more than the count goes, the whole
			// text's are not looked for (null): for a common word that meant a few thousand entries
			// of its index, read to count a hundred (the statement, bench corpus, median of three
			// pgbench runs: 1.48 → 0.82 ms in PostgreSQL; on PGlite 2.28 → 1.58 ms).
			all: sql<
				number[] | null
			>`case when count(*) < ${upTo} then (select coalesce(json_agg(${some.id}), '[]') from ${some}) end`,
			negated: sql<boolean>`position('!' in (${query})::text) > 0`
		})
		.from(head)
		.prepare('');
});

/**
 * Matches (given in the list's order, newest first) in the search's order: those whose title or
 * teaser matches first, by rank, then the others; equals keep the list's order. Only the few
 * head matches are sorted (sorting thousands by a comparator cost a megabyte of garbage a search).
 */
export function inSearchOrder<T extends { id: number }>(matches: T[], head: Map<number, number>): T[] {
	const first = matches.filter((e) => head.has(e.id));
	if (!first.length) return matches;
	first.sort((a, b) => head.get(b.id)! - head.get(a.id)!);
	return first.concat(matches.filter((e) => !head.has(e.id)));
}

/** A passage of a long body is looked for in its start only: snippets cost by the word. */
const snippetChars = 1500;

/**
 * Full-text search with each language's stemmer: the reader's language first; when nothing
 * matches there, the other languages in turn (a Swedish word on the English site still finds the
 * Swedish texts, and the result says which language they are in). Texts that match in the title
 * or teaser come first (by rank), then those that match only in the body, newest first. Where the
 * stemmer finds nothing in a language, titles and teasers whose words begin with the query's once
 * accents are left out ("horby" finds "Hörby"). Typos are the site search's to correct
 * (app/search-words.ts).
 */
export async function searchArticles(
	db: Database,
	locale: Locale,
	q: string,
	page = 1,
	perPage = pageSize,
	{ upTo }: { upTo?: number } = {}
): Promise<SearchResult> {
	const text = cleanLine(q);
	const none: SearchResult = { lang: locale, total: 0, page, pages: 1, hits: [] };
	if (!text) return none;
	const words = searchWords(text);
	for (const lang of [locale, ...locales.filter((l) => l !== locale)]) {
		const found =
			(await exactIn(db, lang, text, page, perPage, upTo)) ??
			(await unaccentedIn(db, lang, words, page, perPage));
		if (found) return found;
	}
	return none;
}

/**
 * The matches in one language, or null when there are none. With `upTo`, a word with more matches
 * is counted only that far ("at least"), and the page comes from the title and teaser matches when
 * they fill it; else every match is read, as without.
 */
async function exactIn(
	db: Database,
	lang: Locale,
	text: string,
	page: number,
	perPage: number,
	upTo?: number
): Promise<SearchResult | null> {
	// The index finds the matches and their ranks; which are published, and their order among equal
	// ranks, come from the list of visible articles held per content version (newest first).
	const [from, to] = [(page - 1) * perPage, page * perPage];
	const some = upTo ? await someMatches(db, lang, text, upTo) : undefined;
	let found: { total: number; more?: boolean; page: FacetEntry[] } | undefined;
	if (some && !some.complete && !some.negated) {
		const visible = await visibleArticles(db, lang);
		const heads = pageOfMatches(visible, [...some.head.keys()], some.head, from, to);
		if (heads.page.length === to - from) {
			const counted = pageOfMatches(visible, some.all, some.head, 0, 0).total;
			found = { total: Math.max(counted, heads.total), more: true, page: heads.page };
		}
	}
	if (!found) {
		const matched = some?.complete ? some : await textMatches(db, lang, text);
		if (!matched.all.length) return null;
		found = pageOfMatches(await visibleArticles(db, lang), matched.all, matched.head, from, to);
	}
	const { total, more, page: onPage } = found;
	if (!total) return null;
	const ids = onPage.map((e) => e.id);
	const markers = newMarkers();
	const marks = `StartSel=${markers.open}, StopSel=${markers.close}`;
	const rows = ids.length
		? await passages(db).execute({
				lang,
				config: searchConfig(lang),
				text,
				ids,
				teaserMarks: `${marks}, MaxWords=80, MinWords=60`,
				bodyMarks: `${marks}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`
			})
		: [];
	const byId = new Map(rows.map((r) => [r.id, toHit(r, markedSnippet(r.headline, markers))]));
	return {
		lang,
		total,
		...(more && { more }),
		page,
		pages: Math.max(1, Math.ceil(total / perPage)),
		hits: ids.map((id) => byId.get(id)).filter((h): h is SearchHit => !!h)
	};
}

/**
 * The page's rows with their passage: the whole teaser when the match is there, else a passage of
 * the start of the body without its tags (an unclosed tag cut at the end goes too).
 */
const passages = builtOnce((db: Database) => {
	const config = sql.placeholder('config');
	const query = tsQuery(config, sql.placeholder('text'));
	return db
		.select({
			...hitFields(sql.placeholder('lang')),
			headline: sql<string | null>`case when ${articleTranslation.searchHead} @@ ${query}
				then ts_headline(${config}::regconfig, ${articleTranslation.teaser}, ${query}, ${sql.placeholder('teaserMarks')})
				else ts_headline(${config}::regconfig, regexp_replace(left(${articleTranslation.body}, ${snippetChars}), '<[^>]*(>|$)', ' ', 'g'), ${query},
					${sql.placeholder('bodyMarks')}) end`
		})
		.from(article)
		.innerJoin(articleTranslation, inLanguage(sql.placeholder('lang')))
		.where(isAnyOf(article.id, sql.placeholder('ids')))
		.prepare('');
});

/**
 * Titles and teasers where every word begins a word once accents are left out ("horby" finds
 * "Hörby", which the stemmer keeps apart), newest first; null when there are none.
 */
async function unaccentedIn(
	db: Database,
	lang: Locale,
	words: string[],
	page: number,
	perPage: number
): Promise<SearchResult | null> {
	if (!words.length) return null;
	const [row] = await db
		.select({ ids: sql<number[] | null>`json_agg(${articleTranslation.articleId})` })
		.from(articleTranslation)
		.where(and(eq(articleTranslation.lang, lang), foldedStartsWords(articleTranslation.folded, words)));
	if (!row?.ids?.length) return null;
	const matches = inListOrder(await visibleArticles(db, lang), row.ids).map((e) => e.id);
	if (!matches.length) return null;
	const ids = matches.slice((page - 1) * perPage, page * perPage);
	const rows = ids.length
		? await db
				.select({ ...hitFields(lang), teaser: articleTranslation.teaser })
				.from(article)
				.innerJoin(articleTranslation, inLanguage(lang))
				.where(inArray(article.id, ids))
		: [];
	const byId = new Map(rows.map((r) => [r.id, toHit(r, plainSnippet(r.teaser))]));
	return {
		lang,
		total: matches.length,
		page,
		pages: Math.max(1, Math.ceil(matches.length / perPage)),
		hits: ids.map((id) => byId.get(id)).filter((h): h is SearchHit => !!h)
	};
}

/** What a hit shows besides its passage. */
const hitFields = (lang: string | Placeholder) => ({
	id: article.id,
	slug: article.slug,
	kind: article.kind,
	publishedAt: article.publishedAt,
	title: articleTranslation.title,
	themes: themesOf(lang, article.id)
});

const inLanguage = (lang: string | Placeholder) =>
	and(eq(articleTranslation.articleId, article.id), eq(articleTranslation.lang, lang));

/** An article's themes in the language, in its order, as one JSON value. */
const themesOf = (locale: string | Placeholder, id: SQLWrapper) =>
	subquery<
		ThemeRef[]
	>(sql`coalesce((select json_agg(json_build_object('key', ${theme.key}, 'name', coalesce(${theme.name}->>${locale}, ${theme.name}->>'sv')) order by ${articleTheme.position})
		from ${articleTheme} join ${theme} on ${theme.key} = ${articleTheme.themeKey} where ${articleTheme.articleId} = ${id}), '[]')`);

interface HitRow {
	slug: string;
	kind: ArticleKind;
	publishedAt: string | Date | null;
	title: string;
	themes: ThemeRef[];
}

function toHit(r: HitRow, snippet: string): SearchHit {
	return {
		slug: r.slug,
		kind: r.kind,
		title: r.title,
		publishedAt: new Date(r.publishedAt ?? 0).toISOString(),
		themes: r.themes,
		snippet
	};
}
