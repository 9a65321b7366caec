import { sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { searchConfig, type ThemeRef } from './queries.ts';
import type { ArticleKind } from './schema.ts';
import { pageSize, withoutControlCharacters } from './validation.ts';

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

const published = sql`a.status = 'published' and a.published_at <= now()`;

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
	const text = withoutControlCharacters(q).trim();
	if (!text) return { mode: 'exact', total: 0, page, pages: 1, hits: [] };
	const config = searchConfig(locale);
	const query = sql`websearch_to_tsquery(${config}::regconfig, ${text})`;
	const offset = (page - 1) * perPage;
	const headline = (source: ReturnType<typeof sql>) =>
		sql`ts_headline(${config}::regconfig, ${source}, ${query}, ${`StartSel=${start}, StopSel=${stop}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`})`;
	const themes = sql`coalesce((select json_agg(json_build_object('key', th.key, 'name', coalesce(th.name->>${locale}, th.name->>'sv')) order by x.position)
		from article_theme x join theme th on th.key = x.theme_key where x.article_id = p.id), '[]')`;

	// One pass over the matches gives both the page (best first) and the total.
	const exact = await rows<HitRow & { total: number }>(
		db,
		sql`select p.slug, p.kind, p.published_at, p.title, p.total, ${themes} as themes,
			${headline(sql`regexp_replace(p.body, '<[^>]*>', ' ', 'g')`)} as snippet
		from (
			select a.id, a.slug, a.kind, a.published_at, t.title, t.body,
				ts_rank(t.search_head, ${query}) as rank, count(*) over () as total
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published} and t.search @@ ${query}
			order by rank desc, a.published_at desc, a.id desc
			limit ${perPage} offset ${offset}
		) p order by p.rank desc, p.published_at desc, p.id desc`
	);
	let total = Number(exact[0]?.total ?? 0);
	if (!exact.length && page > 1) {
		// Past the last page the window count sees no rows; count on its own for an honest total.
		const [row] = await rows<{ n: number }>(
			db,
			sql`select count(*)::int as n from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
				where ${published} and t.search @@ ${query}`
		);
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
	const similar = await rows<HitRow>(
		db,
		sql`select p.slug, p.kind, p.published_at, p.title, ${themes} as themes, p.teaser as snippet
		from (
			select a.id, a.slug, a.kind, a.published_at, t.title, t.teaser,
				word_similarity(${text}, t.title || ' ' || t.teaser) as score
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published} and ${text} <% (t.title || ' ' || t.teaser)
			order by score desc, a.published_at desc
			limit ${perPage}
		) p order by p.score desc, p.published_at desc`
	);
	return { mode: 'similar', total: similar.length, page: 1, pages: 1, hits: similar.map(toHit) };
}

interface HitRow {
	slug: string;
	kind: ArticleKind;
	published_at: string | Date;
	title: string;
	themes: ThemeRef[] | string;
	snippet: string;
}

function toHit(r: HitRow): SearchHit {
	return {
		slug: r.slug,
		kind: r.kind,
		title: r.title,
		publishedAt: new Date(r.published_at).toISOString(),
		themes: typeof r.themes === 'string' ? (JSON.parse(r.themes) as ThemeRef[]) : r.themes,
		snippet: highlight(r.snippet)
	};
}
