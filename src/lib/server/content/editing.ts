import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { audit } from '../kernel/audit.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { authorize, type Actor , authorizeOn } from '../kernel/policy.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { organization } from '../organizations/schema.ts';
import { partnership } from '../partnerships/schema.ts';
import { media } from '../media/schema.ts';
import { documentHref, imageSrc, pickWidth } from '#lib/media-urls.ts';
import { countryList, isCountryCode } from '../kernel/countries.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { article, articleRevision, type ArticleKind, type ArticleStatus } from './schema.ts';
import { replaceArticleContent } from './import.ts';
import { checkTags } from '../taxonomy/known.ts';
import { tagOptions, type TagOptions } from '../taxonomy/pickers.ts';
import { embedMedia } from './embed-media.ts';
import { getArticleById } from './queries.ts';
import type { ParsedArticleForm } from './article-form.ts';
import { contentPolicy } from './policy.ts';

/** The content a revision keeps and a restore puts back (never the status). */
export type ArticleSnapshot = Omit<ParsedArticleForm, 'version'>;

export interface EditableArticle extends ArticleSnapshot {
	id: number;
	status: ArticleStatus;
	publishedAt: string | null;
	scheduledAt: string | null;
	authorName: string | null;
	version: string;
	/** When each language's text last changed. */
	translationUpdatedAt: Partial<Record<Locale, string>>;
}

/** One article as the editor opens it. */
export async function loadForEditing(db: Database, actor: Actor, id: number): Promise<EditableArticle> {
	authorize(actor, contentPolicy.write);
	return readArticle(db, id);
}

async function readArticle(db: Database | Transaction, id: number): Promise<EditableArticle> {
	const [r] = await rows<{
		id: number;
		slug: string;
		kind: ArticleKind;
		status: ArticleStatus;
		published_at: string | null;
		scheduled_at: string | null;
		updated_at: string;
		partnership_id: number | null;
		author_name: string | null;
		translations: { lang: Locale; title: string; teaser: string; body: string; updated_at: string }[] | null;
		themes: string[] | null;
		goals: number[] | null;
		targets: string[] | null;
		countries: string[] | null;
		organizations: number[] | null;
	}>(
		db,
		sql`select a.id, a.slug, a.kind, a.status, a.published_at, a.scheduled_at, a.updated_at, a.partnership_id,
			u.name as author_name,
			(select json_agg(json_build_object('lang', t.lang, 'title', t.title, 'teaser', t.teaser, 'body', t.body, 'updated_at', t.updated_at)) from article_translation t where t.article_id = a.id) as translations,
			(select json_agg(x.theme_key order by x.position) from article_theme x where x.article_id = a.id) as themes,
			(select json_agg(x.goal order by x.goal) from article_goal x where x.article_id = a.id) as goals,
			(select json_agg(x.target order by x.target) from article_target x where x.article_id = a.id) as targets,
			(select json_agg(x.country order by x.country) from article_country x where x.article_id = a.id) as countries,
			(select json_agg(x.organization_id order by x.organization_id) from article_organization x where x.article_id = a.id) as organizations
		from article a left join "user" u on u.id = a.author_id
		where a.id = ${id}`
	);
	if (!r) throw new NotFoundError('article');
	const parse = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
	const translations = parse(r.translations) ?? [];
	const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);
	return {
		id: r.id,
		slug: r.slug,
		kind: r.kind,
		status: r.status,
		publishedAt: iso(r.published_at),
		scheduledAt: iso(r.scheduled_at),
		authorName: r.author_name,
		version: iso(r.updated_at)!,
		themes: parse(r.themes) ?? [],
		goals: parse(r.goals) ?? [],
		targets: parse(r.targets) ?? [],
		countries: parse(r.countries) ?? [],
		organizationIds: parse(r.organizations) ?? [],
		partnershipId: r.partnership_id,
		translations: Object.fromEntries(
			translations.map((t) => [t.lang, { title: t.title, teaser: t.teaser, body: t.body }])
		),
		translationUpdatedAt: Object.fromEntries(translations.map((t) => [t.lang, iso(t.updated_at)!]))
	};
}

/** Refuses tags that do not exist, each on its own field. */
async function checkReferences(tx: Transaction, a: ArticleSnapshot): Promise<Map<string, number>> {
	const tags = await checkTags(tx, a);
	const problems: FieldProblem<'content'>[] = [...tags.problems];
	if (!a.countries.every(isCountryCode)) problems.push({ field: 'countries', code: 'invalidCountry' });
	const orgs = [...new Set(a.organizationIds)];
	if (orgs.length) {
		const found = await tx
			.select({ id: organization.id })
			.from(organization)
			.where(inArray(organization.id, orgs));
		if (found.length !== orgs.length)
			problems.push({ field: 'organizationIds', code: 'unknownOrganization' });
	}
	if (a.partnershipId !== null) {
		const found = await tx
			.select({ id: partnership.id })
			.from(partnership)
			.where(eq(partnership.id, a.partnershipId));
		if (!found.length) problems.push({ field: 'partnershipId', code: 'unknownPartnership' });
	}
	if (problems.length) throw new ValidationError(problems, 'content');
	return tags.goalOf;
}

/** Content, tags and a revision, inside the caller's transaction. */
async function writeContent(
	tx: Transaction,
	actor: NonNullable<Actor>,
	id: number,
	a: ArticleSnapshot,
	action: 'create' | 'save' | 'restore',
	/** The article is published: readers' caches must see the new text (drafts touch no public page). */
	isPublic: boolean
): Promise<void> {
	const known = await checkReferences(tx, a);
	// Articles from the seed or an import have no revision yet: keep how they were first.
	const [{ n } = { n: 0 }] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(articleRevision)
		.where(eq(articleRevision.articleId, id));
	if (n === 0 && action !== 'create') {
		const {
			id: _,
			status,
			publishedAt,
			scheduledAt,
			authorName,
			version,
			translationUpdatedAt,
			...before
		} = await readArticle(tx, id);
		await tx
			.insert(articleRevision)
			.values({ articleId: id, actorId: null, action: 'import', snapshot: before });
	}
	const taken = await tx
		.select({ id: article.id })
		.from(article)
		.where(and(eq(article.slug, a.slug), ne(article.id, id)));
	if (taken.length) throw new ValidationError([{ field: 'slug', code: 'slugTaken' }], 'content');
	const bodies = await embedMedia(
		tx,
		Object.fromEntries(Object.entries(a.translations).map(([l, t]) => [l, t!.body]))
	);
	const translations = Object.fromEntries(
		Object.entries(a.translations).map(([l, t]) => [l, { ...t!, body: bodies[l as Locale]! }])
	);
	await tx
		.update(article)
		.set({ slug: a.slug, kind: a.kind, partnershipId: a.partnershipId, updatedAt: new Date() })
		.where(eq(article.id, id));
	await replaceArticleContent(tx, [id], [{ ...a, translations }], known);
	const snapshot: ArticleSnapshot = { ...a, translations };
	await tx.insert(articleRevision).values({ articleId: id, actorId: actor.id, action, snapshot });
	await audit(tx, {
		actorId: actor.id,
		action: `article.${action}`,
		subject: `article:${id}`,
		after: { slug: a.slug, languages: Object.keys(translations) }
	});
	if (isPublic) await bumpRevision(tx);
}

/** A new draft by the actor. Returns its id. */
export async function createArticle(db: Database, actor: Actor, form: ParsedArticleForm): Promise<number> {
	authorize(actor, contentPolicy.write);
	const { version: _, ...content } = form;
	const id = await db.transaction(async (tx) => {
		const taken = await tx.select({ id: article.id }).from(article).where(eq(article.slug, content.slug));
		if (taken.length) throw new ValidationError([{ field: 'slug', code: 'slugTaken' }], 'content');
		const [row] = await tx
			.insert(article)
			.values({ slug: content.slug, kind: content.kind, status: 'draft', authorId: actor.id })
			.returning({ id: article.id });
		await writeContent(tx, actor, row!.id, content, 'create', false);
		return row!.id;
	});
	return id;
}

/**
 * Saves the editor's form over an article. Someone else's save since the editor opened it
 * (`version`) is refused rather than silently overwritten; so is editing a live article without
 * the right to publish.
 */
export async function saveArticleContent(
	db: Database,
	actor: Actor,
	id: number,
	form: ParsedArticleForm
): Promise<void> {
	authorize(actor, contentPolicy.write);
	const { version, ...content } = form;
	const isPublic = await db.transaction(async (tx) => {
		const [current] = await tx
			.select({ status: article.status, updatedAt: article.updatedAt })
			.from(article)
			.where(eq(article.id, id))
			.for('update');
		if (!current) throw new NotFoundError('article');
		await authorizeOn(actor, contentPolicy.edit, current);
		if (version && current.updatedAt.toISOString() !== version) {
			throw new ValidationError([{ field: 'version', code: 'staleEdit' }], 'content');
		}
		await writeContent(tx, actor, id, content, 'save', current.status === 'published');
		return current.status === 'published';
	});
	if (isPublic) contentChanged();
}

/** Puts an earlier revision's content back, as a new revision. */
export async function restoreRevision(
	db: Database,
	actor: Actor,
	articleId: number,
	revisionId: number
): Promise<void> {
	authorize(actor, contentPolicy.write);
	const isPublic = await db.transaction(async (tx) => {
		const [current] = await tx
			.select({ status: article.status })
			.from(article)
			.where(eq(article.id, articleId))
			.for('update');
		if (!current) throw new NotFoundError('article');
		await authorizeOn(actor, contentPolicy.edit, current);
		const [revision] = await tx
			.select({ snapshot: articleRevision.snapshot })
			.from(articleRevision)
			.where(and(eq(articleRevision.id, revisionId), eq(articleRevision.articleId, articleId)));
		if (!revision) throw new NotFoundError('revision');
		const isPublic = current.status === 'published';
		await writeContent(tx, actor, articleId, revision.snapshot as ArticleSnapshot, 'restore', isPublic);
		return isPublic;
	});
	if (isPublic) contentChanged();
}

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
		rows<{ id: number; name: LocalizedText; country: string }>(
			db,
			sql`select id, name, country from organization order by country = 'SE' desc, name->>'sv'`
		),
		rows<{ id: number; names: LocalizedText[] | string | null }>(
			db,
			sql`select p.id, (select json_agg(o.name order by m.role desc, o.id) from partnership_member m join organization o on o.id = m.organization_id where m.partnership_id = p.id) as names
			from partnership p order by p.id`
		)
	]);
	return {
		...tags,
		organizations: orgs.map((o) => ({ id: o.id, name: pick(o.name, locale), country: o.country })),
		countries: countryList(locale),
		partnerships: partnerships.map((p) => {
			const names = (typeof p.names === 'string' ? JSON.parse(p.names) : p.names) as LocalizedText[] | null;
			return { id: p.id, name: (names ?? []).map((n) => pick(n, locale)).join(' – ') };
		})
	};
}

export interface EditorMedia {
	/** Per language: the images that have alt text in it, ready to insert. */
	images: Partial<Record<Locale, { src: string; alt: string }[]>>;
	documents: { href: string; fileName: string }[];
}

/** What the editor can insert from the media library (the newest 200 files). */
export async function editorMedia(db: Database, actor: Actor): Promise<EditorMedia> {
	authorize(actor, contentPolicy.write);
	const files = await db
		.select({
			kind: media.kind,
			key: media.storageKey,
			alt: media.alt,
			variants: media.variants,
			fileName: media.fileName
		})
		.from(media)
		.orderBy(desc(media.createdAt), desc(media.id))
		.limit(200);
	const images: EditorMedia['images'] = {};
	for (const lang of locales) {
		images[lang] = files
			.filter((f) => f.kind === 'image' && f.alt[lang]?.trim() && f.variants.length)
			.map((f) => ({ src: imageSrc(f.key, pickWidth(f.variants, 960)!), alt: f.alt[lang]!.trim() }));
	}
	return {
		images,
		documents: files
			.filter((f) => f.kind === 'document')
			.map((f) => ({ href: documentHref(f.key, f.fileName), fileName: f.fileName }))
	};
}

/** An article as it will look in a language, whatever its status; null without that language. */
export async function previewArticle(db: Database, actor: Actor, lang: Locale, id: number) {
	authorize(actor, contentPolicy.write);
	const [found] = await db.select({ status: article.status }).from(article).where(eq(article.id, id));
	if (!found) throw new NotFoundError('article');
	const detail = await getArticleById(db, lang, id);
	return { status: found.status, article: detail && { ...detail, related: [] } };
}
