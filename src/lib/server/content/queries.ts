import {
	and,
	count,
	desc,
	eq,
	exists,
	inArray,
	lte,
	sql,
	type Placeholder,
	type SQL,
	type SQLWrapper
} from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { sdgTarget, theme } from '../taxonomy/schema.ts';
import type { ThemeRef } from '../taxonomy/themes.ts';
import { organization } from '../organizations/schema.ts';
import { partnership, partnershipMember } from '../partnerships/schema.ts';
import { media } from '../media/schema.ts';
import { leadImage, type LeadImage } from '#lib/media-urls.ts';
import {
	article,
	articleCountry,
	articleGoal,
	articleOrganization,
	articleTarget,
	articleTheme,
	articleTranslation,
	type ArticleKind
} from './schema.ts';
import { builtOnce, isAnyOf, subquery } from '../kernel/sql.ts';
import { derived, visibleArticles, vocabulary, type FacetEntry } from './facets.ts';
import { targetInLanguage } from '../taxonomy/goals.ts';
import { describeAttachments } from './attachments.ts';

export type { ThemeRef };

/** The text-search configuration (stemmer) for a language. */
export function searchConfig(locale: string): string {
	return locale === 'sv' ? 'swedish' : locale === 'en' ? 'english' : 'simple';
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
	/** Its lead image in the language (null without one or without a description in it). */
	image: LeadImage | null;
}

/** Published, and its time has come (a scheduled article waits for the tick). */
export const isPublished = (): SQL =>
	and(eq(article.status, 'published'), lte(article.publishedAt, sql`now()`))!;

const iso = (value: Date | string | null) => new Date(value ?? 0).toISOString();

/** An article's tags, for a card: one subquery subquery each, so a page of cards is one query. */
function cardTags(locale: string | Placeholder, id: SQLWrapper) {
	return {
		themes: subquery<
			ThemeRef[]
		>(sql`coalesce((select json_agg(json_build_object('key', ${theme.key}, 'name', coalesce(${theme.name}->>${locale}, ${theme.name}->>'sv')) order by ${articleTheme.position}, ${theme.position})
			from ${articleTheme} join ${theme} on ${theme.key} = ${articleTheme.themeKey} where ${articleTheme.articleId} = ${id}), '[]')`),
		goals: subquery<number[]>(sql`coalesce((select json_agg(${articleGoal.goal} order by ${articleGoal.goal})
			from ${articleGoal} where ${articleGoal.articleId} = ${id}), '[]')`),
		targets: subquery<
			string[]
		>(sql`coalesce((select json_agg(${articleTarget.target} order by ${sdgTarget.goal}, ${sdgTarget.position})
			from ${articleTarget} join ${sdgTarget} on ${sdgTarget.code} = ${articleTarget.target} where ${articleTarget.articleId} = ${id}), '[]')`),
		countries: subquery<
			string[]
		>(sql`coalesce((select json_agg(${articleCountry.country} order by ${articleCountry.country})
			from ${articleCountry} where ${articleCountry.articleId} = ${id}), '[]')`)
	};
}

/** A lead image's row as one JSON value, its description in the language. */
interface ImageRow {
	key: string;
	variants: number[];
	alt: string | null;
	width: number | null;
	height: number | null;
}

/** An article's lead image as one JSON value (null without one). */
const imageOf = (locale: string | Placeholder, leadImageId: SQLWrapper) =>
	subquery<ImageRow | null>(
		sql`select json_build_object('key', ${media.storageKey}, 'variants', ${media.variants}, 'alt', ${media.alt}->>${locale}, 'width', ${media.width}, 'height', ${media.height})
			from ${media} where ${media.id} = ${leadImageId}`
	);

const toImage = (r: ImageRow | null) => (r ? leadImage(r.key, r.variants, r.alt, r.width, r.height) : null);

/** Articles with their text in the language: the inner part of every card query. */
function inLanguage(db: Database, locale: string | Placeholder) {
	return db
		.select({
			id: article.id,
			slug: article.slug,
			kind: article.kind,
			publishedAt: article.publishedAt,
			title: articleTranslation.title,
			teaser: articleTranslation.teaser,
			image: imageOf(locale, article.leadImageId).as('lead_image')
		})
		.from(article)
		.innerJoin(
			articleTranslation,
			and(eq(articleTranslation.articleId, article.id), eq(articleTranslation.lang, locale))
		);
}

function toCard(r: {
	slug: string;
	kind: ArticleKind;
	title: string;
	teaser: string;
	publishedAt: Date | string | null;
	themes: ThemeRef[];
	goals: number[];
	targets: string[];
	countries: string[];
	image: ImageRow | null;
}): ArticleCard {
	return {
		slug: r.slug,
		kind: r.kind,
		title: r.title,
		teaser: r.teaser,
		publishedAt: iso(r.publishedAt),
		themes: r.themes,
		goals: r.goals,
		targets: r.targets,
		countries: r.countries,
		image: toImage(r.image)
	};
}

/** Cards for the given articles, in the given order, in one query. */
export async function cardsByIds(db: Database, locale: string, ids: number[]): Promise<ArticleCard[]> {
	if (!ids.length) return [];
	const p = inLanguage(db, locale).where(inArray(article.id, ids)).as('p');
	const found = await db
		.select({
			id: p.id,
			slug: p.slug,
			kind: p.kind,
			publishedAt: p.publishedAt,
			title: p.title,
			teaser: p.teaser,
			image: p.image,
			...cardTags(locale, p.id)
		})
		.from(p);
	const byId = new Map(found.map((x) => [x.id, toCard(x)]));
	return ids.map((id) => byId.get(id)).filter((c): c is ArticleCard => !!c);
}

const cards = builtOnce((db: Database) =>
	inLanguage(db, sql.placeholder('locale'))
		.where(isAnyOf(article.id, sql.placeholder('ids')))
		.prepare('')
);

/**
 * Cards for articles of the visible list, in the given order: their texts in one query by key,
 * their tags from the list itself (held per content version) and the theme names kept with it.
 */
export async function cardsOf(db: Database, locale: string, entries: FacetEntry[]): Promise<ArticleCard[]> {
	if (!entries.length) return [];
	const [found, { themeNames }] = await Promise.all([
		cards(db).execute({ locale, ids: entries.map((e) => e.id) }),
		vocabulary(db, locale)
	]);
	const byId = new Map(found.map((x) => [x.id, x]));
	return entries.flatMap((e) => {
		const x = byId.get(e.id);
		if (!x) return [];
		return [
			toCard({
				...x,
				themes: e.themes.map((key) => ({ key, name: themeNames.get(key) ?? key })),
				goals: e.goals,
				targets: e.targets,
				countries: e.countries
			})
		];
	});
}

/** The newest published articles in a language (home page, feed), of one theme or all. */
export async function latestArticles(
	db: Database,
	locale: string,
	limit: number,
	themeKey?: string
): Promise<ArticleCard[]> {
	const byTheme = themeKey
		? exists(
				db
					.select({ one: sql`1` })
					.from(articleTheme)
					.where(and(eq(articleTheme.articleId, article.id), eq(articleTheme.themeKey, themeKey)))
			)
		: undefined;
	// The tags are read for the page's rows only: the subquery picks and limits them first.
	const p = inLanguage(db, locale)
		.where(and(isPublished(), byTheme))
		.orderBy(desc(article.publishedAt), desc(article.id))
		.limit(limit)
		.as('p');
	const found = await db
		.select({
			slug: p.slug,
			kind: p.kind,
			publishedAt: p.publishedAt,
			title: p.title,
			teaser: p.teaser,
			image: p.image,
			...cardTags(locale, p.id)
		})
		.from(p)
		.orderBy(desc(p.publishedAt), desc(p.id));
	return found.map(toCard);
}

export interface ArticleDetail extends ArticleCard {
	body: string;
	updatedAt: string;
	/** Languages this article exists in. */
	languages: string[];
	targetTexts: { code: string; title: string; text: string; lang: string }[];
	organizations: { slug: string; name: string; country: string }[];
	partnership: { slug: string; summary: string; members: string[] } | null;
	related: ArticleCard[];
}

/** One published article in one language, with everything its page links to. */
export async function getArticle(db: Database, locale: string, slug: string): Promise<ArticleDetail | null> {
	const detail = toDetail((await bySlug(db).execute({ locale, slug }))[0], locale);
	if (!detail) return null;
	const { id, ...shown } = detail;
	const [body, related] = await Promise.all([
		describeAttachments(db, shown.body, locale),
		relatedArticles(db, locale, id)
	]);
	return { ...shown, body, related };
}

/**
 * Any article in one language, whatever its status (the workspace's preview). A preview shows no
 * related articles, so none are looked for.
 */
export async function getArticleById(
	db: Database,
	locale: string,
	id: number
): Promise<Omit<ArticleDetail, 'related'> | null> {
	const detail = toDetail((await articleDetailQuery(db, locale, eq(article.id, id)))[0], locale);
	if (!detail) return null;
	const { id: _, ...shown } = detail;
	return { ...shown, body: await describeAttachments(db, shown.body, locale) };
}

/** The article page's query; `locale` may be a placeholder so that the query can be prepared. */
function articleDetailQuery(db: Database, locale: string | Placeholder, where: SQL) {
	const p = db
		.select({
			id: article.id,
			slug: article.slug,
			kind: article.kind,
			// A scheduled article (in a preview) shows the date it will have; a draft's preview shows no
			// date at all (ArticleView's `when`), so the last fallback is never shown.
			publishedAt: sql<Date | string>`coalesce(${article.publishedAt}, ${article.scheduledAt}, now())`.as(
				'published_at'
			),
			updatedAt: article.updatedAt,
			partnershipId: article.partnershipId,
			title: articleTranslation.title,
			teaser: articleTranslation.teaser,
			body: articleTranslation.body,
			image: imageOf(locale, article.leadImageId).as('lead_image')
		})
		.from(article)
		.innerJoin(
			articleTranslation,
			and(eq(articleTranslation.articleId, article.id), eq(articleTranslation.lang, locale))
		)
		.where(where)
		.as('p');
	return db
		.select({
			id: p.id,
			slug: p.slug,
			kind: p.kind,
			publishedAt: p.publishedAt,
			updatedAt: p.updatedAt,
			title: p.title,
			teaser: p.teaser,
			body: p.body,
			image: p.image,
			...cardTags(locale, p.id),
			languages: subquery<
				string[]
			>(sql`(select json_agg(${articleTranslation.lang} order by ${articleTranslation.lang})
				from ${articleTranslation} where ${articleTranslation.articleId} = ${p.id})`),
			targetTexts: subquery<
				{ code: string; title: LocalizedText; text: LocalizedText }[]
			>(sql`coalesce((select json_agg(json_build_object('code', ${sdgTarget.code}, 'title', ${sdgTarget.title}, 'text', ${sdgTarget.text}) order by ${sdgTarget.goal}, ${sdgTarget.position})
				from ${articleTarget} join ${sdgTarget} on ${sdgTarget.code} = ${articleTarget.target} where ${articleTarget.articleId} = ${p.id}), '[]')`),
			organizations: subquery<
				{ slug: string; name: LocalizedText; country: string }[]
			>(sql`coalesce((select json_agg(json_build_object('slug', ${organization.slug}, 'name', ${organization.name}, 'country', ${organization.country}) order by ${organization.country} = 'SE' desc, ${organization.id})
				from ${articleOrganization} join ${organization} on ${organization.id} = ${articleOrganization.organizationId} where ${articleOrganization.articleId} = ${p.id}), '[]')`),
			partnership: subquery<{
				slug: string;
				summary: LocalizedText;
				members: LocalizedText[] | null;
			} | null>(sql`(select json_build_object('slug', ${partnership.slug}, 'summary', ${partnership.summary},
				'members', (select json_agg(${organization.name} order by ${partnershipMember.role} desc, ${organization.id})
					from ${partnershipMember} join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
					where ${partnershipMember.partnershipId} = ${partnership.id}))
				from ${partnership} where ${partnership.id} = ${p.partnershipId})`)
		})
		.from(p);
}

// The public article page is the hottest uncached read.
const bySlug = builtOnce((db: Database) =>
	articleDetailQuery(
		db,
		sql.placeholder('locale'),
		and(isPublished(), eq(article.slug, sql.placeholder('slug')))!
	).prepare('')
);

type DetailRow = Awaited<ReturnType<typeof articleDetailQuery>>[number];

function toDetail(
	r: DetailRow | undefined,
	locale: string
): (Omit<ArticleDetail, 'related'> & { id: number }) | null {
	if (!r) return null;
	return {
		id: r.id,
		...toCard(r),
		// Sanitised when stored, and again here: stored HTML is never trusted on its way out.
		body: sanitizeRichText(r.body),
		updatedAt: iso(r.updatedAt),
		languages: r.languages,
		targetTexts: r.targetTexts.map((t) => targetInLanguage(t, locale)),
		organizations: r.organizations.map((o) => ({ ...o, name: pick(o.name, locale) })),
		partnership: r.partnership && {
			slug: r.partnership.slug,
			summary: pick(r.partnership.summary, locale),
			members: (r.partnership.members ?? []).map((m) => pick(m, locale))
		}
	};
}

/** Articles sharing the most themes and targets with this one (targets weigh double). */
async function relatedArticles(db: Database, locale: string, id: number): Promise<ArticleCard[]> {
	const entries = await visibleArticles(db, locale);
	// Which articles are related changes only with content: worked out once per article and version.
	const related = derived(entries, `related:${id}`, () => {
		const self = entries.find((e) => e.id === id);
		if (!self) return [];
		const scored: { entry: FacetEntry; score: number; time: number }[] = [];
		for (const e of entries) {
			if (e.id === id) continue;
			let score = 0;
			for (const t of e.themes) if (self.themes.includes(t)) score += 1;
			for (const t of e.targets) if (self.targets.includes(t)) score += 2;
			if (score) scored.push({ entry: e, score, time: e.time });
		}
		scored.sort((a, b) => b.score - a.score || b.time - a.time);
		return scored.slice(0, 4).map((x) => x.entry);
	});
	return cardsOf(db, locale, related);
}

/** Every published article's slug and languages, for the sitemap. */
export async function articleAddresses(
	db: Database
): Promise<{ slug: string; updatedAt: string; languages: string[] }[]> {
	const found = await db
		.select({
			slug: article.slug,
			updatedAt: article.updatedAt,
			languages: subquery<
				string[] | null
			>(sql`(select json_agg(${articleTranslation.lang} order by ${articleTranslation.lang})
				from ${articleTranslation} where ${articleTranslation.articleId} = ${article.id})`)
		})
		.from(article)
		.where(isPublished())
		.orderBy(desc(article.publishedAt), desc(article.id));
	return found.map((x) => ({ slug: x.slug, updatedAt: iso(x.updatedAt), languages: x.languages ?? [] }));
}

/** How many articles carry a theme: all of them (what a merge moves), and the published ones. */
export interface ThemeUsage {
	articles: number;
	published: number;
}

/** Articles per theme key, whatever their language (the editors' topic list), in one query. */
export async function themeUsage(db: Database): Promise<Map<string, ThemeUsage>> {
	const found = await db
		.select({
			key: articleTheme.themeKey,
			articles: count(),
			published: sql<number>`count(*) filter (where ${article.status} = 'published')`.mapWith(Number)
		})
		.from(articleTheme)
		.innerJoin(article, eq(article.id, articleTheme.articleId))
		.groupBy(articleTheme.themeKey);
	return new Map(found.map((t) => [t.key, { articles: t.articles, published: t.published }]));
}
