import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { rows } from '../kernel/rows.ts';
import type { ArticleKind, ArticleStatus } from './schema.ts';
import { pageSize, type InspirationFilter } from './validation.ts';
import { countBy, visibleArticles, type FacetEntry } from './facets.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { authorize, type Actor } from '../kernel/policy.ts';

/** The text-search configuration (stemmer) for a language. */
export function searchConfig(locale: string): string {
	return locale === 'sv' ? 'swedish' : locale === 'en' ? 'english' : 'simple';
}

import type { ThemeRef } from '../taxonomy/themes.ts';
import { accountsPolicy } from '../accounts/policy.ts';
export type { ThemeRef };

/** What a card in a listing shows. */
export interface ArticleCard {
	slug: string;
	kind: ArticleKind;
	title: string;
	teaser: string;
	publishedAt: string;
	themes: ThemeRef[];
	goals: number[];
	targets: string[];
	countries: string[];
}

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

const published = sql`a.status = 'published' and a.published_at <= now()`;

/** Tags of a set of articles, in one query per page rather than one per card. */
const cardColumns = (locale: string) => sql`
	coalesce((select json_agg(json_build_object('key', th.key, 'name', coalesce(th.name->>${locale}, th.name->>'sv')) order by x.position, th.position)
		from article_theme x join theme th on th.key = x.theme_key where x.article_id = p.id), '[]') as themes,
	coalesce((select json_agg(x.goal order by x.goal) from article_goal x where x.article_id = p.id), '[]') as goals,
	coalesce((select json_agg(x.target order by g.goal, g.position) from article_target x join sdg_target g on g.code = x.target where x.article_id = p.id), '[]') as targets,
	coalesce((select json_agg(x.country order by x.country) from article_country x where x.article_id = p.id), '[]') as countries`;

interface CardRow {
	id: number;
	slug: string;
	kind: ArticleKind;
	title: string;
	teaser: string;
	published_at: Date | string;
	themes: ThemeRef[] | string;
	goals: number[] | string;
	targets: string[] | string;
	countries: string[] | string;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const iso = (value: Date | string) => new Date(value).toISOString();

function toCard(r: CardRow): ArticleCard {
	return {
		slug: r.slug,
		kind: r.kind,
		title: r.title,
		teaser: r.teaser,
		publishedAt: iso(r.published_at),
		themes: json(r.themes),
		goals: json(r.goals),
		targets: json(r.targets),
		countries: json(r.countries)
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
	const rank = filter.q ? await textMatches(db, locale, filter.q) : undefined;
	const scope = filter.goal ?? (filter.target ? Number(filter.target.split('.')[0]) : undefined);
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
		if (rank && !rank.has(e.id)) continue;
		const t = !filter.theme || e.themes.includes(filter.theme);
		const k = !filter.kind || e.kind === filter.kind;
		const g = filter.target
			? e.targets.includes(filter.target)
			: !filter.goal || e.goals.includes(filter.goal);
		const c = !filter.country || e.countries.includes(filter.country);
		if (k && g && c) for (const v of e.themes) add(counts.theme, v);
		if (t && g && c) add(counts.kind, e.kind);
		if (t && k && c) {
			for (const v of e.goals) add(counts.goal, v);
			if (scope) for (const v of e.targets) if (v.startsWith(`${scope}.`)) add(counts.target, v);
		}
		if (t && k && g) for (const v of e.countries) add(counts.country, v);
		if (t && k && g && c) matches.push(e);
	}
	if (rank) matches.sort((a, b) => rank.get(b.id)! - rank.get(a.id)! || b.time - a.time || b.id - a.id);

	const facet = <T extends string | number>(map: Map<T, number>): FacetValue[] =>
		[...map].map(([value, count]) => ({ value: String(value), count }));
	const facets: InspirationPage['facets'] = {
		theme: facet(counts.theme),
		kind: facet(counts.kind),
		goal: facet(counts.goal).sort((a, b) => Number(a.value) - Number(b.value)),
		target: facet(counts.target).sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true })),
		country: facet(counts.country).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
	};
	const offset = (filter.page - 1) * perPage;
	return {
		items: await cardsByIds(
			db,
			locale,
			matches.slice(offset, offset + perPage).map((e) => e.id)
		),
		total: matches.length,
		page: filter.page,
		perPage,
		pages: Math.max(1, Math.ceil(matches.length / perPage)),
		facets
	};
}

/** Articles whose text in the language matches a free-text query, with their rank. */
async function textMatches(db: Database, locale: string, q: string): Promise<Map<number, number>> {
	const r = await rows<{ id: number; rank: number }>(
		db,
		sql`select t.article_id as id, ts_rank(t.search_head, query) as rank
			from article_translation t, websearch_to_tsquery(${searchConfig(locale)}::regconfig, ${q}) query
			where t.lang = ${locale} and t.search @@ query`
	);
	return new Map(r.map((x) => [x.id, Number(x.rank)]));
}

/** Cards for the given articles, in the given order, in one query. */
export async function cardsByIds(db: Database, locale: string, ids: number[]): Promise<ArticleCard[]> {
	if (!ids.length) return [];
	const r = await rows<CardRow>(
		db,
		sql`select p.*, ${cardColumns(locale)} from (
			select a.id, a.slug, a.kind, a.published_at, t.title, t.teaser
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where a.id in ${sql`(${sql.join(
				ids.map((id) => sql`${id}`),
				sql`, `
			)})`}
		) p`
	);
	const byId = new Map(r.map((x) => [x.id, toCard(x)]));
	return ids.map((id) => byId.get(id)).filter((c): c is ArticleCard => !!c);
}

/** The newest published articles in a language (home page, feed). */
export async function latestArticles(
	db: Database,
	locale: string,
	limit: number,
	theme?: string
): Promise<ArticleCard[]> {
	const byTheme = theme
		? sql`and exists (select 1 from article_theme x where x.article_id = a.id and x.theme_key = ${theme})`
		: sql``;
	const r = await rows<CardRow>(
		db,
		sql`select p.*, ${cardColumns(locale)} from (
			select a.id, a.slug, a.kind, a.published_at, t.title, t.teaser
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published} ${byTheme}
			order by a.published_at desc, a.id desc limit ${limit}) p`
	);
	return r.map(toCard);
}

export interface ArticleDetail extends ArticleCard {
	body: string;
	updatedAt: string;
	/** Languages this article exists in. */
	languages: string[];
	targetTexts: { code: string; text: string }[];
	organizations: { slug: string; name: string; country: string }[];
	partnership: { slug: string; summary: string; members: string[] } | null;
	related: ArticleCard[];
}

/** One published article in one language, with everything its page links to. */
export async function getArticle(db: Database, locale: string, slug: string): Promise<ArticleDetail | null> {
	return articleDetail(db, locale, sql`${published} and a.slug = ${slug}`);
}

/** Any article in one language, whatever its status (the workspace's preview). */
export async function getArticleById(
	db: Database,
	locale: string,
	id: number
): Promise<ArticleDetail | null> {
	return articleDetail(db, locale, sql`a.id = ${id}`);
}

async function articleDetail(db: Database, locale: string, where: SQL): Promise<ArticleDetail | null> {
	const [r] = await rows<
		CardRow & {
			body: string;
			updated_at: string;
			languages: string[] | string;
			target_texts: { code: string; text: LocalizedText }[] | string;
			organizations: { slug: string; name: LocalizedText; country: string }[] | string;
			partnership: { slug: string; summary: LocalizedText; members: LocalizedText[] } | string | null;
		}
	>(
		db,
		sql`select p.*, ${cardColumns(locale)},
			(select json_agg(lang order by lang) from article_translation where article_id = p.id) as languages,
			coalesce((select json_agg(json_build_object('code', g.code, 'text', g.text) order by g.goal, g.position)
				from article_target x join sdg_target g on g.code = x.target where x.article_id = p.id), '[]') as target_texts,
			coalesce((select json_agg(json_build_object('slug', o.slug, 'name', o.name, 'country', o.country) order by o.country = 'SE' desc, o.id)
				from article_organization x join organization o on o.id = x.organization_id where x.article_id = p.id), '[]') as organizations,
			(select json_build_object('slug', ps.slug, 'summary', ps.summary,
				'members', (select json_agg(o.name order by m.role desc, o.id) from partnership_member m join organization o on o.id = m.organization_id where m.partnership_id = ps.id))
				from partnership ps where ps.id = p.partnership_id) as partnership
		from (
			select a.id, a.slug, a.kind, coalesce(a.published_at, a.scheduled_at, now()) as published_at, a.updated_at, a.partnership_id, t.title, t.teaser, t.body
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${where}
		) p`
	);
	if (!r) return null;
	const partnership = r.partnership ? json(r.partnership) : null;
	return {
		...toCard(r),
		// Sanitised when stored, and again here: stored HTML is never trusted on its way out.
		body: sanitizeRichText(r.body),
		updatedAt: iso(r.updated_at),
		languages: json(r.languages),
		targetTexts: json(r.target_texts).map((t) => ({ code: t.code, text: pick(t.text, locale) })),
		organizations: json(r.organizations).map((o) => ({ ...o, name: pick(o.name, locale) })),
		partnership: partnership && {
			slug: partnership.slug,
			summary: pick(partnership.summary, locale),
			members: (partnership.members ?? []).map((m) => pick(m, locale))
		},
		related: await relatedArticles(db, locale, r.id)
	};
}

/** Articles sharing the most themes and targets with this one (targets weigh double). */
async function relatedArticles(db: Database, locale: string, id: number): Promise<ArticleCard[]> {
	const entries = await visibleArticles(db, locale);
	const self = entries.find((e) => e.id === id);
	if (!self) return [];
	const scored: { id: number; score: number; time: number }[] = [];
	for (const e of entries) {
		if (e.id === id) continue;
		let score = 0;
		for (const t of e.themes) if (self.themes.includes(t)) score += 1;
		for (const t of e.targets) if (self.targets.includes(t)) score += 2;
		if (score) scored.push({ id: e.id, score, time: e.time });
	}
	scored.sort((a, b) => b.score - a.score || b.time - a.time);
	return cardsByIds(
		db,
		locale,
		scored.slice(0, 4).map((x) => x.id)
	);
}

/** Every published article's slug and languages, for the sitemap. */
export async function articleAddresses(
	db: Database
): Promise<{ slug: string; updatedAt: string; languages: string[] }[]> {
	const r = await rows<{ slug: string; updated_at: string; languages: string[] | string }>(
		db,
		sql`select a.slug, a.updated_at, (select json_agg(lang order by lang) from article_translation where article_id = a.id) as languages
			from article a where ${published} order by a.published_at desc, a.id desc`
	);
	return r.map((x) => ({ slug: x.slug, updatedAt: iso(x.updated_at), languages: json(x.languages) ?? [] }));
}

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

/** How many articles there are in each workflow status (the workspace's overview). */
export async function articleStatusCounts(
	db: Database,
	actor: Actor
): Promise<Partial<Record<ArticleStatus, number>>> {
	authorize(actor, accountsPolicy.enterWorkspace);
	const r = await rows<{ status: ArticleStatus; n: number }>(
		db,
		sql`select status, count(*)::int as n from article group by status`
	);
	return Object.fromEntries(r.map((x) => [x.status, x.n]));
}
