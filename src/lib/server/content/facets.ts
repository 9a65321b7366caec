import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { contentVersion } from '../kernel/content-version.ts';
import {
	article,
	articleCountry,
	articleGoal,
	articleTarget,
	articleTheme,
	articleTranslation
} from './schema.ts';
import { subquery } from '../kernel/sql.ts';
import { sdgTarget } from '../taxonomy/schema.ts';
import { listGoals, targetTitles, type GoalSummary } from '../taxonomy/goals.ts';
import { listThemes, type ThemeSummary } from '../taxonomy/themes.ts';

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
	const found = await db
		.select({
			id: article.id,
			kind: article.kind,
			time: sql<number>`(extract(epoch from ${article.publishedAt}) * 1000)::float8`.mapWith(Number),
			langs: subquery<string[]>(
				sql`coalesce((select json_agg(${articleTranslation.lang}) from ${articleTranslation} where ${articleTranslation.articleId} = ${article.id}), '[]')`
			),
			themes: subquery<string[]>(
				sql`coalesce((select json_agg(${articleTheme.themeKey} order by ${articleTheme.position}) from ${articleTheme} where ${articleTheme.articleId} = ${article.id}), '[]')`
			),
			// In the order a card shows them, so that cards take their tags from here.
			goals: subquery<number[]>(
				sql`coalesce((select json_agg(${articleGoal.goal} order by ${articleGoal.goal}) from ${articleGoal} where ${articleGoal.articleId} = ${article.id}), '[]')`
			),
			targets: subquery<string[]>(
				sql`coalesce((select json_agg(${articleTarget.target} order by ${sdgTarget.goal}, ${sdgTarget.position})
					from ${articleTarget} join ${sdgTarget} on ${sdgTarget.code} = ${articleTarget.target} where ${articleTarget.articleId} = ${article.id}), '[]')`
			),
			countries: subquery<string[]>(
				sql`coalesce((select json_agg(${articleCountry.country} order by ${articleCountry.country}) from ${articleCountry} where ${articleCountry.articleId} = ${article.id}), '[]')`
			)
		})
		.from(article)
		.where(and(eq(article.status, 'published'), isNotNull(article.publishedAt)))
		.orderBy(desc(article.publishedAt), desc(article.id));
	return found;
}

/**
 * Published articles visible now in a language, the same array until content changes or the next
 * scheduled article's time comes: what pages derive from it (counts, related articles) can be
 * kept with it (see `derived`).
 */
export async function visibleArticles(db: Database, locale: string): Promise<FacetEntry[]> {
	const all = await facetIndex(db);
	const now = Date.now();
	let byLocale = visible.get(all);
	if (!byLocale) visible.set(all, (byLocale = new Map()));
	const held = byLocale.get(locale);
	if (held && now < held.until) return held.entries;
	let until = Infinity;
	const entries: FacetEntry[] = [];
	for (const e of all) {
		if (e.time > now) until = Math.min(until, e.time);
		else if (e.langs.includes(locale)) entries.push(e);
	}
	byLocale.set(locale, { entries, until });
	return entries;
}

const visible = new WeakMap<FacetEntry[], Map<string, { entries: FacetEntry[]; until: number }>>();
const derivations = new WeakMap<FacetEntry[], Map<string, unknown>>();
/** Above this many kept results per list, the oldest goes (every filter combination is a key). */
const maxDerived = 500;

/**
 * A result computed from one visible list (`entries`) and a key, kept as long as that list is the
 * current one: per content version, not per request.
 */
export function derived<T>(entries: FacetEntry[], key: string, compute: () => T): T {
	let held = derivations.get(entries);
	if (!held) derivations.set(entries, (held = new Map()));
	if (held.has(key)) return held.get(key) as T;
	const value = compute();
	held.set(key, value);
	if (held.size > maxDerived) held.delete(held.keys().next().value!);
	return value;
}

const positions = (entries: FacetEntry[]) =>
	derived(entries, 'position', () => new Map(entries.map((e, i) => [e.id, i])));

/**
 * One page (`from` to `to`) of a search's matches in the search's order: those whose title or
 * teaser matches (in `head`, with their rank) first, by rank, then the others in the list's order;
 * and how many matches are visible. Only the page is made into entries (a common word matches
 * thousands).
 */
export function pageOfMatches(
	entries: FacetEntry[],
	ids: number[],
	head: Map<number, number>,
	from: number,
	to: number
): { total: number; page: FacetEntry[] } {
	const position = positions(entries);
	const first: [position: number, rank: number][] = [];
	const rest = new Int32Array(ids.length);
	let n = 0;
	for (const id of ids) {
		const i = position.get(id);
		if (i === undefined) continue;
		const rank = head.get(id);
		if (rank === undefined) rest[n++] = i;
		else first.push([i, rank]);
	}
	first.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
	const page = first.slice(from, to).map(([i]) => entries[i]!);
	if (to > first.length) {
		const others = rest.subarray(0, n).sort();
		for (let k = Math.max(0, from - first.length); k < Math.min(n, to - first.length); k++)
			page.push(entries[others[k]!]!);
	}
	return { total: first.length + n, page };
}

/**
 * The entries of the visible list with these ids, in the list's order (ids not in it are left
 * out): thousands of a search's matches are placed by their positions, not sorted by a comparator.
 */
export function inListOrder(entries: FacetEntry[], ids: number[]): FacetEntry[] {
	const position = positions(entries);
	const at = new Int32Array(ids.length);
	let n = 0;
	for (const id of ids) {
		const i = position.get(id);
		if (i !== undefined) at[n++] = i;
	}
	return Array.from(at.subarray(0, n).sort(), (i) => entries[i]!);
}

/** The themes and goals in a language, as filters and cards name them. */
export interface Vocabulary {
	themes: ThemeSummary[];
	goals: GoalSummary[];
	themeNames: Map<string, string>;
	/** Each target's short title, by code. */
	targetTitles: Map<string, string>;
}

const vocabularies = new WeakMap<FacetEntry[], Promise<Vocabulary>>();

/**
 * The themes and goals in the language, read once per content version (a theme's change is public,
 * so it makes a new version; goals are reference data), not on every page.
 */
export async function vocabulary(db: Database, locale: string): Promise<Vocabulary> {
	// The visible list is one array per language and version: what is kept with it lives as long.
	const entries = await visibleArticles(db, locale);
	let held = vocabularies.get(entries);
	if (!held) {
		held = Promise.all([listThemes(db, locale), listGoals(db, locale), targetTitles(db, locale)]).then(
			([themes, goals, titles]) => ({
				themes,
				goals,
				themeNames: new Map(themes.map((t) => [t.key, t.name])),
				targetTitles: titles
			})
		);
		vocabularies.set(entries, held);
		// A failed read must not stick.
		held.catch(() => vocabularies.delete(entries));
	}
	return held;
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

// ---------------------------------------------------------------------------------------------
// The listing over the index

/**
 * How many published articles in the language carry each theme, goal and target: the counts the
 * goal pages, the theme lists and the API show beside each tag.
 */
export async function inspirationCounts(
	db: Database,
	locale: string
): Promise<{ themes: Map<string, number>; goals: Map<number, number>; targets: Map<string, number> }> {
	const entries = await visibleArticles(db, locale);
	return {
		themes: countBy(entries, (e) => e.themes),
		goals: countBy(entries, (e) => e.goals),
		targets: countBy(entries, (e) => e.targets)
	};
}
