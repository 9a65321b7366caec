import { and, count, desc, eq, exists, ilike, inArray, not, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { authorize, authorizeOn, can, type Actor, type Rule } from '../../kernel/policy.ts';
import { pick } from '../../kernel/localized.ts';
import { countryList } from '../../kernel/countries.ts';
import { tagOptions, type TagOptions } from '../../taxonomy/pickers.ts';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership, partnershipName, partnershipNames } from '../../partnerships/schema.ts';
import {
	documentHref,
	imageSrc,
	leadImageChoices,
	pickWidth,
	type LeadImageChoice
} from '#lib/media-urls.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import {
	article,
	articleCountry,
	articleGoal,
	articleOrganization,
	articleRevision,
	articleTarget,
	articleTheme,
	articleTranslation,
	type ArticleKind,
	type ArticleStatus
} from '../schema.ts';
import { contentPolicy, theirs, type ArticleRef } from '../policy.ts';
import { getArticleById, type ArticleDetail } from '../queries.ts';
import type { ArticleContent, WorkspaceFilter } from './input.ts';
import { diffSnapshots, type FieldDiff } from './diff.ts';
import { subquery } from '../../kernel/sql.ts';

export type { DiffPart, FieldDiff } from './diff.ts';

/** What the workspace reads: the article list, an article to edit, the pickers, revisions. */

// ---------------------------------------------------------------------------------------------
// The list

export interface WorkspaceRow {
	id: number;
	slug: string;
	status: ArticleStatus;
	kind: ArticleKind;
	updatedAt: string;
	scheduledAt: string | null;
	authorName: string | null;
	/** Title per language the article has. */
	titles: Partial<Record<Locale, string>>;
	/** Whether the actor may open it (an author: their own, or shared with them). */
	open: boolean;
}

export interface WorkspacePage {
	rows: WorkspaceRow[];
	total: number;
	page: number;
	pages: number;
	/** Everyone who has written an article, for the author filter. */
	authors: { id: string; name: string }[];
}

const perPage = 25;

/** The article's rows in a table of its own (texts, tags) that meet a condition. */
const ofArticle = (
	db: Database,
	table: typeof articleTranslation | typeof articleTheme,
	condition: SQL | undefined
) =>
	exists(
		db
			.select({ one: sql`1` })
			.from(table)
			.where(and(eq(table.articleId, article.id), condition))
	);

/**
 * One page of articles for the workspace, newest change first, in two queries. Authors see every
 * article in the list (what colleagues are writing, so that nobody writes the same story twice),
 * but open only their own and those shared with them: each row says whether the actor may.
 */
export async function listForWorkspace(
	db: Database,
	actor: Actor,
	filter: WorkspaceFilter
): Promise<WorkspacePage> {
	authorize(actor, contentPolicy.write);
	const where: (SQL | undefined)[] = [
		filter.status ? eq(article.status, filter.status) : undefined,
		filter.kind ? eq(article.kind, filter.kind) : undefined,
		filter.author ? eq(article.authorId, filter.author) : undefined,
		filter.lang ? ofArticle(db, articleTranslation, eq(articleTranslation.lang, filter.lang)) : undefined,
		filter.missing
			? not(ofArticle(db, articleTranslation, eq(articleTranslation.lang, filter.missing)))
			: undefined,
		filter.theme ? ofArticle(db, articleTheme, eq(articleTheme.themeKey, filter.theme)) : undefined
	];
	if (filter.q) {
		// The trigram index on title and teaser serves this; the slug is matched too.
		const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		where.push(
			or(
				ilike(article.slug, like),
				ofArticle(
					db,
					articleTranslation,
					sql`(${articleTranslation.title} || ' ' || ${articleTranslation.teaser}) ilike ${like}`
				)
			)
		);
	}
	const offset = (filter.page - 1) * perPage;
	const [list, authors] = await Promise.all([
		db
			.select({
				id: article.id,
				slug: article.slug,
				status: article.status,
				kind: article.kind,
				updatedAt: article.updatedAt,
				scheduledAt: article.scheduledAt,
				authorName: user.name,
				titles: subquery<Partial<Record<Locale, string>> | null>(
					sql`(select json_object_agg(${articleTranslation.lang}, ${articleTranslation.title}) from ${articleTranslation} where ${articleTranslation.articleId} = ${article.id})`
				),
				open: can(actor, contentPolicy.open)
					? sql<boolean>`true`
					: sql<boolean>`coalesce(${theirs(db, actor.id)}, false)`,
				total: sql<number>`(count(*) over ())::int`.mapWith(Number)
			})
			.from(article)
			.leftJoin(user, eq(user.id, article.authorId))
			.where(and(...where))
			.orderBy(desc(article.updatedAt), desc(article.id))
			.limit(perPage)
			.offset(offset),
		db
			.select({ id: user.id, name: user.name })
			.from(user)
			.where(
				exists(
					db
						.select({ one: sql`1` })
						.from(article)
						.where(eq(article.authorId, user.id))
				)
			)
			.orderBy(user.name)
	]);
	const total = list[0]?.total ?? 0;
	return {
		rows: list.map((r) => ({
			id: r.id,
			slug: r.slug,
			status: r.status,
			kind: r.kind,
			updatedAt: r.updatedAt.toISOString(),
			scheduledAt: r.scheduledAt ? r.scheduledAt.toISOString() : null,
			authorName: r.authorName,
			titles: r.titles ?? {},
			open: r.open === true
		})),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / perPage)),
		authors
	};
}

/** How many articles there are in each workflow status (the workspace's overview). */
export async function articleStatusCounts(
	db: Database,
	actor: Actor
): Promise<Partial<Record<ArticleStatus, number>>> {
	authorize(actor, contentPolicy.write);
	const found = await db.select({ status: article.status, n: count() }).from(article).groupBy(article.status);
	return Object.fromEntries(found.map((x) => [x.status, x.n]));
}

// ---------------------------------------------------------------------------------------------
// One article

export interface EditableArticle extends ArticleContent {
	id: number;
	status: ArticleStatus;
	publishedAt: string | null;
	scheduledAt: string | null;
	authorName: string | null;
	/** Its `updatedAt`: what a save must name to be taken (see workspace/commands.ts). */
	version: string;
	/** When each language's text last changed. */
	translationUpdatedAt: Partial<Record<Locale, string>>;
}

/**
 * The article, once the actor may act on it by the rule (`open`, `edit`, `share`): signed out is
 * a 401 and a reader a 403 before anything is looked up, then a 404 if there is no such article,
 * then a 403 if it is not theirs to act on. Asked before a form is read, so that someone who may
 * not touch the article learns nothing from messages about their input.
 */
export async function articleToWorkOn(
	db: Database | Transaction,
	actor: Actor,
	rule: Rule<ArticleRef>,
	id: number
): Promise<ArticleRef> {
	authorize(actor, contentPolicy.write);
	const [found] = await db.select({ id: article.id }).from(article).where(eq(article.id, id));
	if (!found) throw new NotFoundError('article');
	const ref = { db, id };
	await authorizeOn(actor, rule, ref);
	return ref;
}

/** One article as the editor opens it. */
export async function loadForEditing(db: Database, actor: Actor, id: number): Promise<EditableArticle> {
	await articleToWorkOn(db, actor, contentPolicy.open, id);
	return readArticle(db, id);
}

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

/** An article whole, in one query (inside a command's transaction too). */
export async function readArticle(db: Database | Transaction, id: number): Promise<EditableArticle> {
	const [r] = await db
		.select({
			id: article.id,
			slug: article.slug,
			kind: article.kind,
			status: article.status,
			publishedAt: article.publishedAt,
			scheduledAt: article.scheduledAt,
			updatedAt: article.updatedAt,
			partnershipId: article.partnershipId,
			leadImageId: article.leadImageId,
			authorName: user.name,
			translations: subquery<
				{ lang: Locale; title: string; teaser: string; body: string; updated_at: string }[] | null
			>(
				sql`(select json_agg(json_build_object('lang', ${articleTranslation.lang}, 'title', ${articleTranslation.title}, 'teaser', ${articleTranslation.teaser}, 'body', ${articleTranslation.body}, 'updated_at', ${articleTranslation.updatedAt}))
					from ${articleTranslation} where ${articleTranslation.articleId} = ${article.id})`
			),
			themes: subquery<string[] | null>(
				sql`(select json_agg(${articleTheme.themeKey} order by ${articleTheme.position}) from ${articleTheme} where ${articleTheme.articleId} = ${article.id})`
			),
			goals: subquery<number[] | null>(
				sql`(select json_agg(${articleGoal.goal} order by ${articleGoal.goal}) from ${articleGoal} where ${articleGoal.articleId} = ${article.id})`
			),
			targets: subquery<string[] | null>(
				sql`(select json_agg(${articleTarget.target} order by ${articleTarget.target}) from ${articleTarget} where ${articleTarget.articleId} = ${article.id})`
			),
			countries: subquery<string[] | null>(
				sql`(select json_agg(${articleCountry.country} order by ${articleCountry.country}) from ${articleCountry} where ${articleCountry.articleId} = ${article.id})`
			),
			organizationIds: subquery<number[] | null>(
				sql`(select json_agg(${articleOrganization.organizationId} order by ${articleOrganization.organizationId}) from ${articleOrganization} where ${articleOrganization.articleId} = ${article.id})`
			)
		})
		.from(article)
		.leftJoin(user, eq(user.id, article.authorId))
		.where(eq(article.id, id));
	if (!r) throw new NotFoundError('article');
	const translations = r.translations ?? [];
	return {
		id: r.id,
		slug: r.slug,
		kind: r.kind,
		status: r.status,
		publishedAt: iso(r.publishedAt),
		scheduledAt: iso(r.scheduledAt),
		authorName: r.authorName,
		version: r.updatedAt.toISOString(),
		themes: r.themes ?? [],
		goals: r.goals ?? [],
		targets: r.targets ?? [],
		countries: r.countries ?? [],
		organizationIds: r.organizationIds ?? [],
		partnershipId: r.partnershipId,
		leadImageId: r.leadImageId,
		translations: Object.fromEntries(
			translations.map((t) => [t.lang, { title: t.title, teaser: t.teaser, body: t.body }])
		),
		translationUpdatedAt: Object.fromEntries(translations.map((t) => [t.lang, iso(t.updated_at)!]))
	};
}

/** An article as it will look in a language, whatever its status; null without that language. */
export async function previewArticle(
	db: Database,
	actor: Actor,
	lang: Locale,
	id: number
): Promise<{ status: ArticleStatus; article: Omit<ArticleDetail, 'related'> | null }> {
	await articleToWorkOn(db, actor, contentPolicy.open, id);
	const [found] = await db.select({ status: article.status }).from(article).where(eq(article.id, id));
	if (!found) throw new NotFoundError('article');
	return { status: found.status, article: await getArticleById(db, lang, id) };
}

// ---------------------------------------------------------------------------------------------
// The editor's pickers

export interface EditorOptions extends TagOptions {
	organizations: { id: number; name: string; country: string }[];
	partnerships: { id: number; name: string }[];
	countries: { code: string; name: string }[];
}

/** What the editor's pickers offer, in the interface language. */
export async function editorOptions(db: Database, actor: Actor, locale: Locale): Promise<EditorOptions> {
	authorize(actor, contentPolicy.write);
	const [tags, orgs, partnerships] = await Promise.all([
		tagOptions(db, locale),
		db
			.select({ id: organization.id, name: organization.name, country: organization.country })
			.from(organization)
			.orderBy(sql`${organization.country} = 'SE' desc`, sql`${organization.name}->>'sv'`),
		db
			.select({
				id: partnership.id,
				names: partnershipNames
			})
			.from(partnership)
			.orderBy(partnership.id)
	]);
	return {
		...tags,
		organizations: orgs.map((o) => ({ id: o.id, name: pick(o.name, locale), country: o.country })),
		countries: countryList(locale),
		partnerships: partnerships.map((p) => ({
			id: p.id,
			name: partnershipName(p.names, locale)
		}))
	};
}

export interface EditorMedia {
	/** Per language: the images that have alt text in it, ready to insert, with a small size to choose by. */
	images: Partial<Record<Locale, { src: string; thumb: string; alt: string }[]>>;
	documents: { href: string; fileName: string }[];
	/** The pictures that may lead an article (the newest 48 with alt text), by id. */
	leadImages: LeadImageChoice[];
}

/** What the editor can insert from the media library (the newest 200 files). */
export async function editorMedia(db: Database, actor: Actor): Promise<EditorMedia> {
	authorize(actor, contentPolicy.write);
	const files = await db
		.select({
			id: media.id,
			kind: media.kind,
			key: media.storageKey,
			alt: media.alt,
			variants: media.variants,
			fileName: media.fileName
		})
		.from(media)
		// Proposal photos and report attachments are not the library's to reuse.
		.where(eq(media.origin, 'library'))
		.orderBy(desc(media.createdAt), desc(media.id))
		.limit(200);
	const images: EditorMedia['images'] = {};
	for (const lang of locales) {
		images[lang] = files
			.filter((f) => f.kind === 'image' && f.alt[lang]?.trim() && f.variants.length)
			.map((f) => ({
				src: imageSrc(f.key, pickWidth(f.variants, 960)!),
				thumb: imageSrc(f.key, Math.min(...f.variants)),
				alt: f.alt[lang]!.trim()
			}));
	}
	return {
		images,
		documents: files
			.filter((f) => f.kind === 'document')
			.map((f) => ({ href: documentHref(f.key, f.fileName), fileName: f.fileName })),
		leadImages: leadImageChoices(files)
	};
}

// ---------------------------------------------------------------------------------------------
// Revisions

export interface RevisionSummary {
	id: number;
	at: string;
	action: string;
	/** Null when the account was deleted. */
	actorName: string | null;
}

/** An article's revisions, newest first. */
export async function listRevisions(
	db: Database,
	actor: Actor,
	articleId: number
): Promise<RevisionSummary[]> {
	await articleToWorkOn(db, actor, contentPolicy.open, articleId);
	const list = await db
		.select({
			id: articleRevision.id,
			at: articleRevision.at,
			action: articleRevision.action,
			actorName: user.name
		})
		.from(articleRevision)
		.leftJoin(user, eq(user.id, articleRevision.actorId))
		.where(eq(articleRevision.articleId, articleId))
		.orderBy(desc(articleRevision.id))
		.limit(200);
	return list.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/** What changed between two revisions of one article, field by field (see diff.ts). */
export async function diffRevisions(
	db: Database,
	actor: Actor,
	articleId: number,
	fromId: number,
	toId: number
): Promise<FieldDiff[]> {
	await articleToWorkOn(db, actor, contentPolicy.open, articleId);
	const found = await db
		.select({ id: articleRevision.id, snapshot: articleRevision.snapshot })
		.from(articleRevision)
		.where(and(eq(articleRevision.articleId, articleId), inArray(articleRevision.id, [fromId, toId])));
	const from = found.find((r) => r.id === fromId)?.snapshot as ArticleContent | undefined;
	const to = found.find((r) => r.id === toId)?.snapshot as ArticleContent | undefined;
	if (!from || !to) throw new NotFoundError('revision');
	const imageIds = [from.leadImageId, to.leadImageId].filter((id): id is number => !!id);
	const images = imageIds.length
		? await db
				.select({ id: media.id, fileName: media.fileName })
				.from(media)
				.where(inArray(media.id, imageIds))
		: [];
	const names = new Map(images.map((i) => [i.id, i.fileName]));
	// A picture deleted from the library since keeps its number.
	return diffSnapshots(from, to, (id) => names.get(id) ?? String(id));
}
