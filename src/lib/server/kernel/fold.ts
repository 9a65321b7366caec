import { and, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { index, type IndexBuilder } from 'drizzle-orm/pg-core';
import { tsvector } from './localized.ts';

// Searching names and short texts the way people type them: without accents and in any case
// ("horby" finds Hörby, "goteborg" Göteborgs Stad). The database keeps a folded copy of what is
// searched in generated columns: its words with an index (`wordsColumn`), and the text itself where
// it is compared as a whole (near matches, order); the query is folded the same way here. One
// table of letters serves both, so they cannot drift apart.

const from = 'åäöáàâãéèêëíìîïóòôõúùûüýÿñçøæšžčćđłńśźżőű';
const to = 'aaoaaaaeeeeiiiioooouuuuyyncoaszccdlnszzou';
const table = new Map([...from].map((c, i) => [c, to[i]!]));

/** Lower case without the accents of the table (the same as the database's `folded`). */
export function fold(text: string): string {
	return [...text.normalize('NFC').toLowerCase()].map((c) => table.get(c) ?? c).join('');
}

/**
 * The folded text of SQL expressions, for a generated column: `lower`, `translate` and
 * `regexp_replace` are immutable, so PostgreSQL and PGlite may store and index it. The expressions are written as they
 * are (column names and constants of a schema, never input).
 */
export function foldedColumn(...texts: string[]): SQL {
	const joined = texts.map((t) => `coalesce(${t}, '')`).join(` || ' ' || `);
	return sql.raw(
		`' ' || regexp_replace(translate(lower(${joined}), '${from}', '${to}'), '${separators}', ' ', 'g')`
	);
}

/**
 * What separates words besides spaces: punctuation and dashes become a space in the folded text,
 * which also starts with one, so a word begins wherever a space comes before it ("Peja (Pejë)",
 * "Hörby–Peja"). Listed, not "anything but letters": letters of other scripts stay letters.
 */
const separators = `[][(){}.,;:!?"/\\|+*&%$#@=<>~^_–—‘’“”«»'-]+`.replaceAll("'", "''");

/** The words of a query, folded: letters and digits, at most eight, each once. */
export function searchWords(query: string): string[] {
	const words = fold(query)
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w.length > 1);
	return [...new Set(words)].slice(0, 8);
}

/**
 * The folded texts' words as a stored text-search vector, for a generated column with a GIN index:
 * a prefix lookup in the index finds every word a typed word begins, without reading the rows
 * ("medborgardialog" among 5,000 organizations' names: 0.02 ms, against 1.6 ms for a LIKE through
 * the trigram index, whose common trigrams each list most rows). Split at spaces, not by a
 * text-search parser, whose idea of a letter depends on the database's locale. A "word" of 200
 * characters or more is left out: a vector refuses lexemes over 2,047 bytes. Stored, not an
 * index's expression, because PostgreSQL then never builds a vector per row (5–14 µs each).
 * Indexed by `wordsIndex`.
 */
export function wordsColumn(...texts: string[]) {
	return tsvector('words')
		.notNull()
		.generatedAlwaysAs(
			sql`array_to_tsvector(array_remove(regexp_split_to_array(regexp_replace(${foldedColumn(...texts)}, '\\S{200,}', ' ', 'g'), '\\s+'), ''))`
		);
}

/**
 * The GIN index of a `wordsColumn`, written straight into: with GIN's default, recent writes wait
 * in a pending list that every lookup reads whole until a vacuum merges it (75 pages of
 * organizations' names after a day of restarts had every search by name read the whole table).
 */
export const wordsIndex = (
	name: string,
	words: Parameters<ReturnType<typeof index>['using']>[1]
): IndexBuilder => index(name).using('gin', words).with({ fastupdate: false });

/**
 * Every typed word begins a word of a `wordsColumn`: "hor" finds "Hörby", "goteborg" finds
 * "Göteborgs".
 */
export function startsWords(words: SQLWrapper, typed: Placeholder[]): SQL | undefined {
	return and(...typed.map((w) => startsWord(words, w)));
}

/**
 * One typed word (letters and digits, from `searchWords`; its placeholder in a statement built once,
 * `wordPlaceholders`) begins a word of a `wordsColumn`.
 */
export function startsWord(words: SQLWrapper, typed: Placeholder): SQL {
	// Quoted as a lexeme, with the prefix mark: the word is taken as it is, never as operators.
	return sql`${words} @@ (quote_literal(${typed}) || ':*')::tsquery`;
}

/**
 * The same on a folded column itself, through its trigram index: for the articles' titles and
 * teasers, whose rows stay narrow for the full-text match (content/search.ts), and which are
 * searched so only when the stemmed words found nothing.
 */
export function foldedStartsWords(folded: SQLWrapper, typed: string[]): SQL | undefined {
	// A space before every word of the folded text: a LIKE, which the trigram index serves.
	return and(...typed.map((w) => sql`${folded} like ${`% ${w}%`}`));
}

/** How close the folded query (its words as one text) is to the column, for ordering (1 is a whole match). */
export function nearness(column: SQLWrapper, words: Placeholder): SQL<number> {
	return sql<number>`word_similarity(${words}, ${column})`;
}

/**
 * A search's words as placeholders of a statement built once: `each` is word0, word1…, `all`
 * all of them as one text (for `nearness`). `wordValues` gives their values for a run.
 */
export function wordPlaceholders(count: number): { each: Placeholder[]; all: Placeholder } {
	return {
		each: Array.from({ length: count }, (_, i) => sql.placeholder(`word${i}`)),
		all: sql.placeholder('words')
	};
}

export const wordValues = (words: string[]): Record<string, string> =>
	Object.fromEntries([...words.map((w, i) => [`word${i}`, w]), ['words', words.join(' ')]]);

/** One kind's share of a search: how many, and the hits of the page asked for. */
export interface Found<T> {
	total: number;
	/** `total` is a lower bound: the matches were counted only so far (the site search's overview). */
	more?: boolean;
	hits: T[];
}
