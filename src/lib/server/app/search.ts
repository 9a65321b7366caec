import { z } from 'zod';
import type { Database } from '../kernel/database.ts';
import { cleanLine, fields } from '../kernel/input.ts';
import { searchWords, type Found } from '../kernel/fold.ts';
import { correctedWords } from './search-words.ts';
import { pageSize } from '../content/input.ts';
import { countUpTo, searchArticles, type SearchResult } from '../content/search.ts';
import { searchPartnerships } from '../partnerships/search.ts';
import type { PartnershipRow } from '../partnerships/queries.ts';
import { searchOrganizations, type OrganizationHit } from '../organizations/search.ts';
import { searchProfiles, type ProfileHit } from '../partner-search/profiles/search.ts';
import { searchGoals, type GoalHit } from '../taxonomy/search.ts';
import type { Locale } from '#lib/i18n/index.ts';

// The site's one search: every kind of thing at once, each module searching its own. The page
// shows each kind's first few with its count; choosing a kind shows all of it a page at a time.
// Whole words first, everywhere; when nothing on the site matched, the words corrected against the
// site's own words (search-words.ts), and the same search again.

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
	/** The words searched for instead when the query's own found nothing (typos corrected). */
	corrected: string | null;
	/** All kinds together. */
	total: number;
	/** Some kind's total is a lower bound (the overview counts a common word's matches only so far). */
	more: boolean;
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
	// The overview shows a few of each kind: a common word's articles and partnerships are counted
	// only so far there.
	const upTo = kind ? undefined : countUpTo;
	const all = (text: string, words: string[]) =>
		Promise.all([
			searchArticles(db, locale, text, a.page, a.perPage, { upTo }),
			searchPartnerships(db, locale, words, { ...take('partnerships'), upTo }),
			searchOrganizations(db, locale, words, take('organizations')),
			searchProfiles(db, locale, words, take('profiles')),
			searchGoals(db, locale, words, text)
		]);
	let [articles, partnerships, organizations, profiles, goals] = await all(cleanLine(q), words);
	const sum = () => articles.total + partnerships.total + organizations.total + profiles.total + goals.total;
	// Nothing on the site holds the words: perhaps a typo. The same search again with each word
	// corrected to the nearest the site holds (the page says so: every kind's are near matches).
	let corrected: string | null = null;
	const near = sum() ? null : await correctedWords(db, words);
	if (near) {
		corrected = near.join(' ');
		[articles, partnerships, organizations, profiles, goals] = await all(corrected, near);
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
		corrected,
		total: sum(),
		more: !!(articles.more || partnerships.more),
		pages: kind && kind !== 'goals' ? Math.max(1, Math.ceil(totals[kind] / pageSize)) : 1,
		articles,
		partnerships,
		organizations,
		profiles,
		goals
	};
}
