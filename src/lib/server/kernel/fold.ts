import { and, sql, type SQL, type SQLWrapper } from 'drizzle-orm';

// Searching names and short texts the way people type them: without accents and in any case
// ("horby" finds Hörby, "goteborg" Göteborgs Stad). The database keeps a folded copy of what is
// searched (a generated column with a trigram index); the query is folded the same way here. One
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
 * Every word begins a word of the folded column: "hor" finds "Hörby", "goteborg" finds
 * "Göteborgs". The trigram index serves words of three letters or more.
 */
export function startsWords(column: SQLWrapper, words: string[]): SQL | undefined {
	return and(...words.map((w) => startsWord(column, w)));
}

/** One word begins a word of the folded column. */
export function startsWord(column: SQLWrapper, word: string): SQL {
	// A space before every word of the folded text: a LIKE, which the trigram index serves.
	return sql`${column} like ${`% ${word}%`}`;
}

/** How close the folded query is to the column, for ordering (1 is a whole match). */
export function nearness(column: SQLWrapper, words: string[]): SQL<number> {
	return sql<number>`word_similarity(${words.join(' ')}, ${column})`;
}

/** One kind's share of a search: how many, and the hits of the page asked for. */
export interface Found<T> {
	total: number;
	hits: T[];
}
