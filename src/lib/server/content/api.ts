import { localizePath, type Locale } from '#lib/i18n/locales.ts';
import type { ArticleCard, ArticleDetail } from './queries.ts';

/** The public JSON shape of an article in a list (a contract: see docs/api.md). */
export function articleSummaryJson(origin: string, locale: Locale, a: ArticleCard) {
	return {
		slug: a.slug,
		title: a.title,
		teaser: a.teaser,
		kind: a.kind,
		themes: a.themes.map((t) => t.key),
		goals: a.goals,
		targets: a.targets,
		countries: a.countries,
		publishedAt: a.publishedAt,
		url: origin + localizePath(locale, `/inspiration/${a.slug}`)
	};
}

/** One article with its body and links. */
export function articleJson(origin: string, locale: Locale, a: ArticleDetail) {
	return {
		...articleSummaryJson(origin, locale, a),
		lang: locale,
		body: a.body,
		updatedAt: a.updatedAt,
		languages: a.languages,
		themeNames: Object.fromEntries(a.themes.map((t) => [t.key, t.name])),
		organizations: a.organizations,
		partnership: a.partnership,
		related: a.related.map((r) => articleSummaryJson(origin, locale, r))
	};
}
