import { sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { contentVersion } from '../kernel/content-version.ts';

/**
 * What the inspiration filters need of every published article, held in memory. Counting hits per
 * filter value over a few thousand articles is microseconds here and tens of milliseconds in SQL;
 * the index is rebuilt (one query) when content changes. Articles scheduled for later are kept
 * with their time and shown once it has passed.
 */
export interface FacetEntry {
	id: number;
	kind: string;
	/** Publication time, ms since the epoch. */
	time: number;
	langs: string[];
	themes: string[];
	goals: number[];
	targets: string[];
	countries: string[];
}

const indexes = new WeakMap<Database, { version: string; entries: Promise<FacetEntry[]> }>();

/** All published articles, newest first. */
export function facetIndex(db: Database): Promise<FacetEntry[]> {
	const version = contentVersion();
	const held = indexes.get(db);
	if (held && held.version === version) return held.entries;
	const entries = load(db);
	indexes.set(db, { version, entries });
	// A failed load must not stick.
	entries.catch(() => indexes.delete(db));
	return entries;
}

async function load(db: Database): Promise<FacetEntry[]> {
	const r = await rows<{
		id: number;
		kind: string;
		time: string | number;
		langs: string[] | string;
		themes: string[] | string;
		goals: number[] | string;
		targets: string[] | string;
		countries: string[] | string;
	}>(
		db,
		sql`select a.id, a.kind, (extract(epoch from a.published_at) * 1000)::float8 as time,
			coalesce((select json_agg(lang) from article_translation where article_id = a.id), '[]') as langs,
			coalesce((select json_agg(theme_key order by position) from article_theme where article_id = a.id), '[]') as themes,
			coalesce((select json_agg(goal) from article_goal where article_id = a.id), '[]') as goals,
			coalesce((select json_agg(target) from article_target where article_id = a.id), '[]') as targets,
			coalesce((select json_agg(country) from article_country where article_id = a.id), '[]') as countries
		from article a where a.status = 'published' and a.published_at is not null
		order by a.published_at desc, a.id desc`
	);
	const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
	return r.map((x) => ({
		id: x.id,
		kind: x.kind,
		time: Number(x.time),
		langs: json(x.langs),
		themes: json(x.themes),
		goals: json(x.goals),
		targets: json(x.targets),
		countries: json(x.countries)
	}));
}

/** Published articles visible now in a language. */
export async function visibleArticles(db: Database, locale: string): Promise<FacetEntry[]> {
	const now = Date.now();
	return (await facetIndex(db)).filter((e) => e.time <= now && e.langs.includes(locale));
}

/** How many of `entries` carry each value of one tag. */
export function countBy<T extends string | number>(
	entries: FacetEntry[],
	values: (e: FacetEntry) => readonly T[]
): Map<T, number> {
	const counts = new Map<T, number>();
	for (const e of entries) for (const v of values(e)) counts.set(v, (counts.get(v) ?? 0) + 1);
	return counts;
}
