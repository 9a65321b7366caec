import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import { pick, rows, type LocalizedText } from '../core/localized.ts';
import type { ArticleKind } from './schema.ts';
import { pageSize, type InspirationFilter } from './validation.ts';

/** The text-search configuration (stemmer) for a language. */
export function searchConfig(locale: string): string {
	return locale === 'sv' ? 'swedish' : locale === 'en' ? 'english' : 'simple';
}

export interface ThemeRef {
	key: string;
	name: string;
}

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

type Dimension = 'theme' | 'kind' | 'sdg' | 'country';

/** One SQL condition per active filter, over `a` (article) and `t` (its translation). */
function conditions(locale: string, filter: InspirationFilter): Record<Dimension | 'q', SQL> {
	const yes = sql`true`;
	return {
		theme: filter.theme
			? sql`exists (select 1 from article_theme x where x.article_id = a.id and x.theme_key = ${filter.theme})`
			: yes,
		kind: filter.kind ? sql`a.kind = ${filter.kind}` : yes,
		sdg: filter.target
			? sql`exists (select 1 from article_target x where x.article_id = a.id and x.target = ${filter.target})`
			: filter.goal
				? sql`exists (select 1 from article_goal x where x.article_id = a.id and x.goal = ${filter.goal})`
				: yes,
		country: filter.country
			? sql`exists (select 1 from article_country x where x.article_id = a.id and x.country = ${filter.country})`
			: yes,
		q: filter.q ? sql`t.search @@ websearch_to_tsquery(${searchConfig(locale)}::regconfig, ${filter.q})` : yes
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
 * Two queries whatever the filters.
 */
export async function listInspiration(
	db: Database,
	locale: string,
	filter: InspirationFilter,
	perPage = pageSize
): Promise<InspirationPage> {
	const c = conditions(locale, filter);
	const offset = (filter.page - 1) * perPage;
	const order = filter.q
		? sql`ts_rank(t.search, websearch_to_tsquery(${searchConfig(locale)}::regconfig, ${filter.q})) desc, a.published_at desc, a.id desc`
		: sql`a.published_at desc, a.id desc`;
	const itemsQuery = sql`
		select p.*, ${cardColumns(locale)}
		from (
			select a.id, a.slug, a.kind, a.published_at, t.title, t.teaser
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published} and ${c.theme} and ${c.kind} and ${c.sdg} and ${c.country} and ${c.q}
			order by ${order}
			limit ${perPage} offset ${offset}
		) p`;
	const targetScope = filter.goal ?? (filter.target ? Number(filter.target.split('.')[0]) : null);
	const facetsQuery = sql`
		with f as materialized (
			select a.id, a.kind,
				${c.theme} as m_theme, ${c.kind} as m_kind, ${c.sdg} as m_sdg, ${c.country} as m_country
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published} and ${c.q}
		)
		select 'total' as dim, '' as value, count(*)::int as n from f where m_theme and m_kind and m_sdg and m_country
		union all
		select 'theme', x.theme_key, count(*)::int from f join article_theme x on x.article_id = f.id
			where m_kind and m_sdg and m_country group by x.theme_key
		union all
		select 'kind', f.kind, count(*)::int from f where m_theme and m_sdg and m_country group by f.kind
		union all
		select 'goal', x.goal::text, count(*)::int from f join article_goal x on x.article_id = f.id
			where m_theme and m_kind and m_country group by x.goal
		union all
		select 'target', x.target, count(*)::int from f join article_target x on x.article_id = f.id
			join sdg_target g on g.code = x.target
			where m_theme and m_kind and m_country and g.goal = ${targetScope ?? -1} group by x.target
		union all
		select 'country', x.country, count(*)::int from f join article_country x on x.article_id = f.id
			where m_theme and m_kind and m_sdg group by x.country`;
	const [items, facetRows] = await Promise.all([
		rows<CardRow>(db, itemsQuery),
		rows<{ dim: string; value: string; n: number }>(db, facetsQuery)
	]);
	const facets: InspirationPage['facets'] = { theme: [], kind: [], goal: [], target: [], country: [] };
	let total = 0;
	for (const r of facetRows) {
		if (r.dim === 'total') total = r.n;
		else facets[r.dim as keyof typeof facets].push({ value: r.value, count: r.n });
	}
	facets.goal.sort((a, b) => Number(a.value) - Number(b.value));
	facets.target.sort((a, b) => a.value.localeCompare(b.value, 'en', { numeric: true }));
	facets.country.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
	return {
		items: items.map(toCard),
		total,
		page: filter.page,
		perPage,
		pages: Math.max(1, Math.ceil(total / perPage)),
		facets
	};
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
			select a.id, a.slug, a.kind, a.published_at, a.updated_at, a.partnership_id, t.title, t.teaser, t.body
			from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published} and a.slug = ${slug}
		) p`
	);
	if (!r) return null;
	const partnership = r.partnership ? json(r.partnership) : null;
	return {
		...toCard(r),
		body: r.body,
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
	const r = await rows<CardRow>(
		db,
		sql`select p.*, ${cardColumns(locale)} from (
			select a.id, a.slug, a.kind, a.published_at, t.title, t.teaser, s.score
			from (
				select article_id, sum(w) as score from (
					select x.article_id, 1 as w from article_theme x
						where x.theme_key in (select theme_key from article_theme where article_id = ${id})
					union all
					select x.article_id, 2 from article_target x
						where x.target in (select target from article_target where article_id = ${id})
				) shared where article_id <> ${id} group by article_id
			) s
			join article a on a.id = s.article_id
			join article_translation t on t.article_id = a.id and t.lang = ${locale}
			where ${published}
			order by s.score desc, a.published_at desc limit 4) p
		order by p.score desc, p.published_at desc`
	);
	return r.map(toCard);
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

export interface ThemeSummary extends ThemeRef {
	kind: 'principle' | 'topic';
	description: string;
	count: number;
}

/** All themes, principles first, with the number of published articles in the language. */
export async function listThemes(db: Database, locale: string): Promise<ThemeSummary[]> {
	const r = await rows<{
		key: string;
		kind: 'principle' | 'topic';
		name: LocalizedText;
		description: LocalizedText;
		n: number;
	}>(
		db,
		sql`select th.key, th.kind, th.name, th.description,
			(select count(*)::int from article_theme x join article a on a.id = x.article_id
				join article_translation t on t.article_id = a.id and t.lang = ${locale}
				where x.theme_key = th.key and ${published}) as n
			from theme th order by th.position, th.key`
	);
	return r.map((t) => ({
		key: t.key,
		kind: t.kind,
		name: pick(t.name, locale),
		description: pick(t.description, locale),
		count: t.n
	}));
}

/** Whether a theme key and a target code exist (filters name them; unknown ones are a 400). */
export async function filterValuesExist(
	db: Database,
	theme: string | undefined,
	target: string | undefined
): Promise<{ theme: boolean; target: boolean }> {
	const [r] = await rows<{ theme: boolean; target: boolean }>(
		db,
		sql`select exists (select 1 from theme where key = ${theme ?? ''}) as theme,
			exists (select 1 from sdg_target where code = ${target ?? ''}) as target`
	);
	return { theme: !theme || !!r?.theme, target: !target || !!r?.target };
}
