import { and, count, desc, eq, sql, type SQLWrapper } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { cleanLine } from '../kernel/input.ts';
import { theme } from '../taxonomy/schema.ts';
import { isPublished, searchConfig, type ThemeRef } from './queries.ts';
import { article, articleTheme, articleTranslation, type ArticleKind } from './schema.ts';
import { pageSize } from './input.ts';
import { subquery } from '../kernel/sql.ts';

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
	/** "exact": full-text matches; "similar": nothing matched, these share similar words (typos). */
	mode: 'exact' | 'similar';
	total: number;
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
 * A passage as the database chose it, and the same passage cut into the text search parser's
 * tokens, each with the lexemes it stands for (null for spaces, punctuation, tags and entities).
 * Which words to mark travels beside the text, never inside it: no stored character can open or
 * close a mark.
 */
export interface SnippetParts {
	text: string | null;
	tokens: [type: number, token: string, lexemes: string[] | null][] | null;
}

// The parser gives a hyphenated word or an address whole and then again in parts (its type ids
// in ts_token_type('default'): url 5, numhword 15, asciihword 16, hword 17); only the parts are kept.
const wholes = new Set([5, 15, 16, 17]);

/** The lexemes a query looks for, from `querytree`: "'medborgardialog' & 'rädd'" → both. */
export function queryLexemes(tree: string | null): Set<string> {
	const found = new Set<string>();
	for (const [, quoted] of (tree ?? '').matchAll(/'((?:[^'\\]|''|\\.)*)'/g)) {
		found.add(quoted!.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
	}
	return found;
}

/** Safe HTML of a passage with <mark> around each word that matched the query. */
export function markedSnippet(parts: SnippetParts | null, lexemes: Set<string>): string {
	const text = parts?.text ?? '';
	const tokens = (parts?.tokens ?? []).filter(([type]) => !wholes.has(type));
	// Should the parser ever cut differently, the passage is shown without marks rather than wrong.
	if (tokens.map(([, token]) => token).join('') !== text) return plainSnippet(text);
	let html = '';
	let run = '';
	for (const [, token, words] of tokens) {
		if (words?.some((w) => lexemes.has(w))) {
			html += `${plainSnippet(run)}<mark>${plainSnippet(token)}</mark>`;
			run = '';
		} else run += token;
	}
	return html + plainSnippet(run);
}

/**
 * Full-text search in one language with its stemmer: texts that match in the title or teaser
 * first (by rank), then those that match only in the body, newest first. When nothing matches,
 * falls back to trigram similarity on titles and teasers, so "medborgardialg" still finds
 * "medborgardialog".
 */
export async function searchArticles(
	db: Database,
	locale: string,
	q: string,
	page = 1,
	perPage = pageSize
): Promise<SearchResult> {
	const text = cleanLine(q);
	if (!text) return { mode: 'exact', total: 0, page, pages: 1, hits: [] };
	const config = searchConfig(locale);
	const query = sql`websearch_to_tsquery(${config}::regconfig, ${text})`;
	const offset = (page - 1) * perPage;
	const inLanguage = and(eq(articleTranslation.articleId, article.id), eq(articleTranslation.lang, locale));
	const matches = and(isPublished(), sql`${articleTranslation.search} @@ ${query}`);
	const themesOf = (id: SQLWrapper) =>
		subquery<
			ThemeRef[]
		>(sql`coalesce((select json_agg(json_build_object('key', ${theme.key}, 'name', coalesce(${theme.name}->>${locale}, ${theme.name}->>'sv')) order by ${articleTheme.position})
			from ${articleTheme} join ${theme} on ${theme.key} = ${articleTheme.themeKey} where ${articleTheme.articleId} = ${id}), '[]')`);

	// One pass over the matches gives both the page (best first) and the total.
	const rank = sql<number>`ts_rank(${articleTranslation.searchHead}, ${query})`;
	const best = db
		.select({
			id: article.id,
			slug: article.slug,
			kind: article.kind,
			publishedAt: article.publishedAt,
			title: articleTranslation.title,
			body: articleTranslation.body,
			rank: rank.as('rank'),
			total: sql<number>`count(*) over ()`.as('total')
		})
		.from(article)
		.innerJoin(articleTranslation, inLanguage)
		.where(matches)
		.orderBy(desc(rank), desc(article.publishedAt), desc(article.id))
		.limit(perPage)
		.offset(offset)
		.as('p');
	const exact = await db
		.select({
			slug: best.slug,
			kind: best.kind,
			publishedAt: best.publishedAt,
			title: best.title,
			total: best.total,
			themes: themesOf(best.id),
			snippet: subquery<SnippetParts>(
				// The passage without marks, then its tokens in order (both configurations use the
				// default parser), each with its lexemes; spaces, tags, entities and protocols have none.
				sql`select json_build_object('text', h.text, 'tokens', (
						select json_agg(json_build_array(p.tokid, p.token,
							case when p.tokid in (12, 13, 14, 23) then null
							else tsvector_to_array(to_tsvector(${config}::regconfig, p.token)) end) order by p.n)
						from ts_parse('default', h.text) with ordinality as p(tokid, token, n)))
					from (select ts_headline(${config}::regconfig, regexp_replace(${best.body}, '<[^>]*>', ' ', 'g'), ${query},
						'StartSel="", StopSel="", MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "') as text) h`
			),
			lexemes: sql<string | null>`querytree(${query})`
		})
		.from(best)
		.orderBy(desc(best.rank), desc(best.publishedAt), desc(best.id));
	let total = Number(exact[0]?.total ?? 0);
	if (!exact.length && page > 1) {
		// Past the last page the window count sees no rows; count on its own for an honest total.
		const [row] = await db
			.select({ n: count() })
			.from(article)
			.innerJoin(articleTranslation, inLanguage)
			.where(matches);
		total = row?.n ?? 0;
	}
	if (total > 0 || page > 1) {
		return {
			mode: 'exact',
			total,
			page,
			pages: Math.max(1, Math.ceil(total / perPage)),
			hits: exact.map((r) => toHit(r, markedSnippet(r.snippet, queryLexemes(r.lexemes))))
		};
	}

	// The typo-tolerant fallback: word similarity against the trigram index on title and teaser.
	const words = sql`(${articleTranslation.title} || ' ' || ${articleTranslation.teaser})`;
	const score = sql<number>`word_similarity(${text}, ${words})`;
	const near = db
		.select({
			id: article.id,
			slug: article.slug,
			kind: article.kind,
			publishedAt: article.publishedAt,
			title: articleTranslation.title,
			teaser: articleTranslation.teaser,
			score: score.as('score')
		})
		.from(article)
		.innerJoin(articleTranslation, inLanguage)
		.where(and(isPublished(), sql`${text} <% ${words}`))
		.orderBy(desc(score), desc(article.publishedAt))
		.limit(perPage)
		.as('p');
	const similar = await db
		.select({
			slug: near.slug,
			kind: near.kind,
			publishedAt: near.publishedAt,
			title: near.title,
			themes: themesOf(near.id),
			snippet: near.teaser
		})
		.from(near)
		.orderBy(desc(near.score), desc(near.publishedAt));
	return {
		mode: 'similar',
		total: similar.length,
		page: 1,
		pages: 1,
		hits: similar.map((r) => toHit(r, plainSnippet(r.snippet)))
	};
}

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
