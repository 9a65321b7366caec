import { z } from 'zod';
import type { Database } from '../kernel/database.ts';
import { cleanLine, fields } from '../kernel/input.ts';
import { searchWords, type Found, type SearchMode } from '../kernel/fold.ts';
import { pageSize } from '../content/input.ts';
import { nearArticles, searchArticles, type SearchResult } from '../content/search.ts';
import { searchPartnerships } from '../partnerships/search.ts';
import type { PartnershipRow } from '../partnerships/queries.ts';
import { searchOrganizations, type OrganizationHit } from '../organizations/search.ts';
import { searchProfiles, type ProfileHit } from '../partner-search/profiles/search.ts';
import { searchGoals, type GoalHit } from '../taxonomy/search.ts';
import type { Locale } from '#lib/i18n/index.ts';

// The site's one search: every kind of thing at once, each module searching its own. The page
// shows each kind's first few with its count; choosing a kind shows all of it a page at a time.
// Whole words first, everywhere; near matches (typos) only when nothing on the site matched.

export const searchKinds = ['goals', 'articles', 'partnerships', 'organizations', 'profiles'] as const;
export type SearchKind = (typeof searchKinds)[number];

/** /search: the words, one kind (else all), a page of that kind. */
export const siteSearchQuery = {
	q: fields.query.default(''),
	kind: z.enum(searchKinds, 'invalidSearchKind').optional(),
	page: fields.page.default(1)
};

/** How many of each kind the overview shows (goals are few and short: all of them). */
const overview: Record<SearchKind, number> = {
	goals: 50,
	articles: 5,
	partnerships: 4,
	organizations: 6,
	profiles: 4
};

export interface SiteSearch {
	kind: SearchKind | null;
	/** All kinds together. */
	total: number;
	/** Pages of the chosen kind (1 in the overview). */
	pages: number;
	articles: SearchResult;
	partnerships: Found<PartnershipRow>;
	organizations: Found<OrganizationHit>;
	profiles: Found<ProfileHit>;
	goals: Found<GoalHit>;
}

export async function searchSite(
	db: Database,
	locale: Locale,
	q: string,
	kind: SearchKind | undefined,
	page: number
): Promise<SiteSearch> {
	const words = searchWords(cleanLine(q));
	const take = (k: SearchKind) => ({
		page: kind === k ? page : 1,
		perPage: kind === k ? pageSize : overview[k]
	});
	const a = take('articles');
	const others = (mode: SearchMode) =>
		Promise.all([
			searchPartnerships(db, locale, words, mode, take('partnerships')),
			searchOrganizations(db, locale, words, mode, take('organizations')),
			searchProfiles(db, locale, words, mode, take('profiles')),
			searchGoals(db, locale, words, mode, cleanLine(q))
		]);
	let [articles, [partnerships, organizations, profiles, goals]] = await Promise.all([
		searchArticles(db, locale, q, a.page, a.perPage, { near: false }),
		others('exact')
	]);
	const sum = () => articles.total + partnerships.total + organizations.total + profiles.total + goals.total;
	if (!sum() && page === 1 && words.length) {
		[articles, [partnerships, organizations, profiles, goals]] = await Promise.all([
			nearArticles(db, locale, words, a.perPage),
			others('similar')
		]);
	}
	const totals = {
		articles: articles.total,
		partnerships: partnerships.total,
		organizations: organizations.total,
		profiles: profiles.total,
		goals: goals.total
	};
	return {
		kind: kind ?? null,
		total: sum(),
		pages: kind && kind !== 'goals' ? Math.max(1, Math.ceil(totals[kind] / pageSize)) : 1,
		articles,
		partnerships,
		organizations,
		profiles,
		goals
	};
}
