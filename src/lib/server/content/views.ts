import { z } from 'zod';
import { localizePath, messages, format, locales, type Locale } from '#lib/i18n/index.ts';
import { escapeXml } from '../kernel/xml.ts';
import type { GoalSummary, TargetSummary } from '../taxonomy/goals.ts';
import { articleKinds } from './schema.ts';
import type { ArticleCard, ArticleDetail } from './queries.ts';

/**
 * What the inspiration bank answers in: the JSON of /api/v1/articles and /api/v1/goals (a
 * contract: see docs/api.md), each shape also as a Zod schema for the OpenAPI document, and the
 * Atom feed. The functions build the keys in the order the schemas list them.
 */

// ---------------------------------------------------------------------------------------------
// Articles

/** An article in a list. */
export const articleSummaryView = z.strictObject({
	slug: z.string(),
	title: z.string(),
	teaser: z.string(),
	kind: z.enum(articleKinds),
	/** Theme keys, the main theme first. */
	themes: z.array(z.string()),
	goals: z.array(z.number().int().min(1).max(17)),
	targets: z.array(z.string()),
	/** ISO 3166-1 alpha-2. */
	countries: z.array(z.string()),
	publishedAt: z.iso.datetime(),
	/** The article's page in the asked language. */
	url: z.url()
});
export type ArticleSummaryView = z.infer<typeof articleSummaryView>;

/** GET /api/v1/articles. */
export const articleListView = z.strictObject({
	items: z.array(articleSummaryView),
	total: z.number().int(),
	page: z.number().int(),
	perPage: z.number().int()
});

/** GET /api/v1/articles/<slug>: one article with its body and links. */
export const articleView = z.strictObject({
	...articleSummaryView.shape,
	lang: z.enum(locales),
	/** Sanitised HTML. */
	body: z.string(),
	updatedAt: z.iso.datetime(),
	/** The languages the article is written in. */
	languages: z.array(z.string()),
	/** Each theme key's name in the asked language. */
	themeNames: z.record(z.string(), z.string()),
	organizations: z.array(z.strictObject({ slug: z.string(), name: z.string(), country: z.string() })),
	partnership: z
		.strictObject({ slug: z.string(), summary: z.string(), members: z.array(z.string()) })
		.nullable(),
	related: z.array(articleSummaryView)
});
export type ArticleView = z.infer<typeof articleView>;

/** An article in a list, as the API gives it. */
export function articleSummaryJson(origin: string, locale: Locale, a: ArticleCard): ArticleSummaryView {
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

/** A page of the listing, as the API gives it. */
export function articleListJson(
	origin: string,
	locale: Locale,
	page: { items: ArticleCard[]; total: number; page: number; perPage: number }
): z.infer<typeof articleListView> {
	return {
		items: page.items.map((a) => articleSummaryJson(origin, locale, a)),
		total: page.total,
		page: page.page,
		perPage: page.perPage
	};
}

/** One article with its body and links. */
export function articleJson(origin: string, locale: Locale, a: ArticleDetail): ArticleView {
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

// ---------------------------------------------------------------------------------------------
// Goals (the taxonomy's goals, with the bank's counts)

const goalFields = {
	number: z.number().int().min(1).max(17),
	/** The official colour, "#E5243B". */
	colour: z.string(),
	shortName: z.string(),
	title: z.string(),
	/** The language of `title` (the page's, unless it is not written in it yet). */
	titleLang: z.string(),
	/** Published articles in the language tagged with the goal (or one of its targets). */
	count: z.number().int()
};

/** A goal in the list, with the address of its own answer. */
export const goalView = z.strictObject({ ...goalFields, url: z.url() });

/** GET /api/v1/goals. */
export const goalListView = z.strictObject({ items: z.array(goalView) });

/** GET /api/v1/goals/<n>: one goal with its targets. */
export const goalDetailView = z.strictObject({
	...goalFields,
	targets: z.array(
		z.strictObject({
			code: z.string(),
			/** A short title, the platform's own wording ("Inkluderande beslutsfattande"). */
			title: z.string(),
			text: z.string(),
			/** The language of `text` (the page's, unless it is not written in it yet). */
			lang: z.string(),
			count: z.number().int()
		})
	)
});

/** The goals, as the API gives them. */
export function goalListJson(origin: string, goals: GoalSummary[]): z.infer<typeof goalListView> {
	return { items: goals.map((g) => ({ ...g, url: `${origin}/api/v1/goals/${g.number}` })) };
}

/** One goal, as the API gives it. */
export function goalJson(goal: GoalSummary & { targets: TargetSummary[] }): z.infer<typeof goalDetailView> {
	return goal;
}

// ---------------------------------------------------------------------------------------------
// The Atom feed

/** An Atom feed of articles in one language (optionally one theme's). */
export function atomFeed(
	origin: string,
	locale: Locale,
	articles: ArticleCard[],
	selfPath: string,
	themeName?: string
): string {
	const m = messages(locale);
	const title = themeName ? format(m.content.feed.themeTitle, { theme: themeName }) : m.content.feed.title;
	const updated = articles[0]?.publishedAt ?? new Date(0).toISOString();
	const entries = articles
		.map((a) => {
			const url = origin + localizePath(locale, `/inspiration/${a.slug}`);
			const theme = a.themes[0]?.name;
			return `	<entry>
		<title>${escapeXml(theme ? `${theme} – ${a.title}` : a.title)}</title>
		<link href="${escapeXml(url)}"/>
		<id>${escapeXml(url)}</id>
		<published>${a.publishedAt}</published>
		<updated>${a.publishedAt}</updated>
		<summary>${escapeXml(a.teaser)}</summary>
${a.themes.map((t) => `		<category term="${escapeXml(t.key)}" label="${escapeXml(t.name)}"/>`).join('\n')}
	</entry>`;
		})
		.join('\n');
	return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
	<title>${escapeXml(title)}</title>
	<link href="${escapeXml(origin + localizePath(locale, '/inspiration'))}"/>
	<link rel="self" href="${escapeXml(origin + selfPath)}"/>
	<id>${escapeXml(origin + selfPath)}</id>
	<updated>${updated}</updated>
	<author><name>${escapeXml(m.site.name)}</name></author>
${entries}
</feed>
`;
}
