import type { Database } from '../kernel/database.ts';
import { checkFilterTags } from '../taxonomy/known.ts';
import { goalOfTarget } from '../taxonomy/goals.ts';
import { cardsOf, type ArticleCard } from './queries.ts';
import { pageSize, type InspirationFilter } from './input.ts';
import { derived, inListOrder, visibleArticles, vocabulary, type FacetEntry } from './facets.ts';
import { inSearchOrder, textMatches } from './search.ts';

/** The inspiration listing and its filters' counts, over the index in memory (facets.ts). */

export interface FacetValue {
	value: string;
	count: number;
}

export interface InspirationPage {
	items: ArticleCard[];
	total: number;
	page: number;
	pages: number;
	perPage: number;
	facets: {
		theme: FacetValue[];
		kind: FacetValue[];
		goal: FacetValue[];
		target: FacetValue[];
		country: FacetValue[];
	};
}

/**
 * The inspiration listing: one page of cards, the total, and for every filter the number of hits
 * each of its values would give with the other filters kept (so a visitor sees where to go next).
 * Filters and counts run on the in-memory index (facets.ts); free text asks the database's
 * full-text index; the page's cards come in one query.
 */
export async function listInspiration(
	db: Database,
	locale: string,
	filter: InspirationFilter,
	perPage = pageSize
): Promise<InspirationPage> {
	const entries = await visibleArticles(db, locale);
	const found = filter.q ? await textMatches(db, locale, filter.q) : undefined;
	// Without free text the counts depend only on the filters: one pass per content version.
	const { matches, facets } = found
		? countFacets(inListOrder(entries, found.all), filter, found.head)
		: derived(
				entries,
				`listing:${filter.theme}:${filter.kind}:${filter.sdg?.goal}:${filter.sdg?.target}:${filter.country}`,
				() => countFacets(entries, filter, undefined)
			);
	const offset = (filter.page - 1) * perPage;
	return {
		items: await cardsOf(db, locale, matches.slice(offset, offset + perPage)),
		total: matches.length,
		page: filter.page,
		perPage,
		pages: Math.max(1, Math.ceil(matches.length / perPage)),
		facets
	};
}

/**
 * The articles (of `entries`: all visible, or a search's matches) that pass every filter, and for
 * each filter the counts of its values with the others kept; a search's matches by `head` rank.
 */
function countFacets(
	entries: FacetEntry[],
	filter: InspirationFilter,
	head: Map<number, number> | undefined
): { matches: FacetEntry[]; facets: InspirationPage['facets'] } {
	const { goal, target } = filter.sdg ?? {};
	const scope = goal ?? (target ? goalOfTarget(target) : undefined);
	const counts = {
		theme: new Map<string, number>(),
		kind: new Map<string, number>(),
		goal: new Map<number, number>(),
		target: new Map<string, number>(),
		country: new Map<string, number>()
	};
	const add = <T>(map: Map<T, number>, key: T) => map.set(key, (map.get(key) ?? 0) + 1);
	const matches: FacetEntry[] = [];
	// One pass: each filter's counts are taken over the articles that pass every other filter.
	for (const e of entries) {
		const t = !filter.theme || e.themes.includes(filter.theme);
		const k = !filter.kind || e.kind === filter.kind;
		const g = target ? e.targets.includes(target) : !goal || e.goals.includes(goal);
		const c = !filter.country || e.countries.includes(filter.country);
		if (k && g && c) for (const v of e.themes) add(counts.theme, v);
		if (t && g && c) add(counts.kind, e.kind);
		if (t && k && c) {
			for (const v of e.goals) add(counts.goal, v);
			if (scope) for (const v of e.targets) if (goalOfTarget(v) === scope) add(counts.target, v);
		}
		if (t && k && g) for (const v of e.countries) add(counts.country, v);
		if (t && k && g && c) matches.push(e);
	}

	const facet = <T extends string | number>(map: Map<T, number>): FacetValue[] =>
		[...map].map(([value, count]) => ({ value: String(value), count }));
	return {
		matches: head ? inSearchOrder(matches, head) : matches,
		facets: {
			theme: facet(counts.theme),
			kind: facet(counts.kind),
			goal: facet(counts.goal).sort((a, b) => Number(a.value) - Number(b.value)),
			target: facet(counts.target).sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true })),
			country: facet(counts.country).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
		}
	};
}

/**
 * The listing as the page and the API ask for it: a named theme or target must exist (a clear
 * 400 rather than an empty list), then the list.
 */
export async function findInspiration(
	db: Database,
	locale: string,
	filter: InspirationFilter,
	perPage = pageSize
): Promise<InspirationPage> {
	await checkFilterTags(db, { theme: filter.theme, target: filter.sdg?.target });
	return listInspiration(db, locale, filter, perPage);
}

/** The themes and goals the listing's filters name (kept per content version). */
export const listingVocabulary = vocabulary;
