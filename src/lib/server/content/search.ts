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

// Private-use characters mark the highlights, so escaping the text cannot touch them.
const start = '\uE000';
const stop = '\uE001';

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

/** Stored text → safe HTML with <mark> around the highlighted words. */
export function highlight(text: string): string {
	return text
		.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => entities[e] ?? e)
		.replace(/[&<>"']/g, (c) => escapes[c]!)
		.replaceAll(start, '<mark>')
		.replaceAll(stop, '</mark>');
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
			snippet: subquery<string>(
				sql`ts_headline(${config}::regconfig, regexp_replace(${best.body}, '<[^>]*>', ' ', 'g'), ${query}, ${`StartSel=${start}, StopSel=${stop}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`})`
			)
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
			hits: exact.map(toHit)
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
	return { mode: 'similar', total: similar.length, page: 1, pages: 1, hits: similar.map(toHit) };
}

interface HitRow {
	slug: string;
	kind: ArticleKind;
	publishedAt: string | Date | null;
	title: string;
	themes: ThemeRef[];
	snippet: string;
}

function toHit(r: HitRow): SearchHit {
	return {
		slug: r.slug,
		kind: r.kind,
		title: r.title,
		publishedAt: new Date(r.publishedAt ?? 0).toISOString(),
		themes: r.themes,
		snippet: highlight(r.snippet)
	};
}
