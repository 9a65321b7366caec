import {
	and,
	eq,
	exists,
	inArray,
	sql,
	type Placeholder,
	type SQL,
	type SQLWrapper,
	type Subquery
} from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { organization, type OrganizationKind } from '../organizations/schema.ts';
import { sdgTarget, theme } from '../taxonomy/schema.ts';
import { unknownFilterTags } from '../taxonomy/known.ts';
import { media } from '../media/schema.ts';
import { article, articleTranslation } from '../content/schema.ts';
import { documentHref, leadImage, type LeadImage } from '#lib/media-urls.ts';
import {
	partnership,
	partnershipDocument,
	partnershipGoal,
	partnershipMember,
	partnershipPhase,
	partnershipTarget,
	partnershipTeamMember,
	partnershipTheme,
	type PartnershipPhase,
	type PartnershipStatus,
	type TeamRole
} from './schema.ts';
import type { PartnershipFilter } from './input.ts';
import { subquery } from '../kernel/sql.ts';
import { targetInLanguage } from '../taxonomy/goals.ts';

export interface OrganizationRef {
	id: number;
	slug: string;
	name: string;
	kind: OrganizationKind;
	country: string;
	municipalityCode: string | null;
	county: string | null;
	lat: number | null;
	lon: number | null;
}

export interface PartnershipRow {
	id: number;
	slug: string;
	status: PartnershipStatus;
	startYear: number | null;
	endYear: number | null;
	summary: string;
	swedish: OrganizationRef[];
	international: OrganizationRef[];
	themes: { key: string; name: string }[];
	goals: number[];
	targets: string[];
}

/** One partnership on the map: who on each side, where. */
export interface MapPartnership {
	slug: string;
	swedish: OrganizationRef[];
	international: OrganizationRef[];
}

export interface PartnershipPage {
	rows: PartnershipRow[];
	total: number;
	page: number;
	pages: number;
	perPage: number;
	/** Every partnership that matches (not just this page): the map shows them all. */
	map: MapPartnership[];
}

/** Subqueries of the filters, built apart from any database. */
const qb = new QueryBuilder();
const m = alias(partnershipMember, 'm');
const o = alias(organization, 'o');

/** The filters as a condition on `partnership`. Every one is served by an index. */
export function partnershipConditions(filter: Omit<PartnershipFilter, 'page'> & { members?: number[] }): SQL {
	const where: SQL[] = [];
	const one = sql`1`;
	const memberOn = (side: 'swedish' | 'international', on: SQL) =>
		exists(
			qb
				.select({ one })
				.from(m)
				.innerJoin(o, eq(o.id, m.organizationId))
				.where(and(eq(m.partnershipId, partnership.id), eq(m.role, side), on))
		);
	if (filter.members?.length)
		where.push(
			exists(
				qb
					.select({ one })
					.from(m)
					.where(and(eq(m.partnershipId, partnership.id), inArray(m.organizationId, filter.members)))
			)
		);
	if (filter.status) where.push(eq(partnership.status, filter.status));
	if (filter.theme)
		where.push(
			exists(
				qb
					.select({ one })
					.from(partnershipTheme)
					.where(
						and(
							eq(partnershipTheme.partnershipId, partnership.id),
							eq(partnershipTheme.themeKey, filter.theme)
						)
					)
			)
		);
	if (filter.goal)
		where.push(
			exists(
				qb
					.select({ one })
					.from(partnershipGoal)
					.where(
						and(eq(partnershipGoal.partnershipId, partnership.id), eq(partnershipGoal.goal, filter.goal))
					)
			)
		);
	if (filter.target)
		where.push(
			exists(
				qb
					.select({ one })
					.from(partnershipTarget)
					.where(
						and(
							eq(partnershipTarget.partnershipId, partnership.id),
							eq(partnershipTarget.target, filter.target)
						)
					)
			)
		);
	if (filter.country) where.push(memberOn('international', eq(o.country, filter.country)));
	if (filter.county) where.push(memberOn('swedish', eq(o.county, filter.county)));
	return and(sql`true`, ...where)!;
}

type Link = [id: number, slug: string, role: string, org: number];
type Org = [
	id: number,
	slug: string,
	name: LocalizedText,
	kind: OrganizationKind,
	country: string,
	municipalityCode: string | null,
	county: string | null,
	lat: number | null,
	lon: number | null
];

function organizationRef(
	[id, slug, name, kind, country, municipalityCode, county, lat, lon]: Org,
	locale: string
): OrganizationRef {
	return { id, slug, name: pick(name, locale), kind, country, municipalityCode, county, lat, lon };
}

/** A partnership's members as JSON, each with its side (for a page's rows, in the row). */
const membersOfRow = subquery<[role: string, ...Org][] | null>(
	sql`select json_agg(json_build_array(${partnershipMember.role}, ${organization.id}, ${organization.slug}, ${organization.name}, ${organization.kind}, ${organization.country}, ${organization.municipalityCode}, ${organization.county}, ${organization.lat}, ${organization.lon}) order by ${organization.id})
		from ${partnershipMember} join ${organization} on ${organization.id} = ${partnershipMember.organizationId}
		where ${partnershipMember.partnershipId} = ${partnership.id}`
);

/**
 * The members of every partnership that matches, by side: one narrow query for the links and
 * one for the organizations they name (each once, however many partnerships it is in).
 */
async function membersOf(db: Database, locale: string, where: SQL) {
	// Each comes back as one JSON value: thousands of rows cost far more to hand over one by one.
	const [[links], [orgs]] = await Promise.all([
		db
			.select({
				all: sql<
					Link[] | null
				>`json_agg(json_build_array(${partnership.id}, ${partnership.slug}, ${partnershipMember.role}, ${partnershipMember.organizationId}) order by ${partnership.id}, ${partnershipMember.organizationId})`
			})
			.from(partnership)
			.innerJoin(partnershipMember, eq(partnershipMember.partnershipId, partnership.id))
			.where(where),
		db
			.select({
				all: sql<
					Org[] | null
				>`json_agg(json_build_array(${organization.id}, ${organization.slug}, ${organization.name}, ${organization.kind}, ${organization.country}, ${organization.municipalityCode}, ${organization.county}, ${organization.lat}, ${organization.lon}))`
			})
			.from(organization)
			.where(
				inArray(
					organization.id,
					qb
						.select({ id: partnershipMember.organizationId })
						.from(partnership)
						.innerJoin(partnershipMember, eq(partnershipMember.partnershipId, partnership.id))
						.where(where)
				)
			)
	]);
	const byId = new Map((orgs?.all ?? []).map((org) => [org[0], organizationRef(org, locale)]));
	const by = new Map<number, MapPartnership>();
	for (const [id, slug, role, orgId] of links?.all ?? []) {
		let entry = by.get(id);
		if (!entry) by.set(id, (entry = { slug, swedish: [], international: [] }));
		const org = byId.get(orgId);
		if (org) (role === 'swedish' ? entry.swedish : entry.international).push(org);
	}
	return by;
}

/** A partnership's themes (key and name), in the themes' order. */
const themesOf = subquery<{ key: string; name: LocalizedText }[] | null>(
	sql`select json_agg(json_build_object('key', ${theme.key}, 'name', ${theme.name}) order by ${theme.position})
		from ${partnershipTheme} join ${theme} on ${theme.key} = ${partnershipTheme.themeKey}
		where ${partnershipTheme.partnershipId} = ${partnership.id}`
);
const goalsOf = subquery<number[] | null>(
	sql`select json_agg(${partnershipGoal.goal} order by ${partnershipGoal.goal}) from ${partnershipGoal}
		where ${partnershipGoal.partnershipId} = ${partnership.id}`
);

/** What a partnership's row in the list and its own page both show. */
const listed = {
	id: partnership.id,
	slug: partnership.slug,
	status: partnership.status,
	startYear: partnership.startYear,
	endYear: partnership.endYear,
	summary: partnership.summary,
	themes: themesOf,
	goals: goalsOf
};

/** The list's order, newest start first (partnership_newest_idx): of the table, or of a subquery of it. */
export const newestFirst = (p: { startYear: SQLWrapper; id: SQLWrapper } = partnership) => [
	sql`${p.startYear} desc nulls last`,
	sql`${p.id} desc`
];

/**
 * A page of the partnerships that meet a condition, newest start first, each row with the count
 * of them all. The page is chosen and the matches counted over their ids and years only, then the
 * page's rows are read whole: a count over whole rows made PostgreSQL keep every match's row
 * (2,003 matches of a search on the bench corpus: 4.57 → 2.27 ms of its CPU). The limit and
 * offset may be placeholders (a statement built once: search.ts).
 */
export function pageStatement(
	db: Database,
	condition: SQL,
	limit: number | Placeholder,
	offset: number | Placeholder
) {
	return pageRows(
		db,
		db
			.select({ id: partnership.id, total: sql<number>`(count(*) over ())::int`.as('total') })
			.from(partnership)
			.where(condition)
			.orderBy(...newestFirst())
			.limit(limit)
			.offset(offset)
			.as('chosen')
	);
}

/** The chosen partnerships' rows whole, newest start first; `total` as the choice counted it. */
export function pageRows(db: Database, chosen: Chosen) {
	return db
		.select({
			...listed,
			targets: subquery<string[] | null>(
				sql`select json_agg(${partnershipTarget.target} order by ${partnershipTarget.target}) from ${partnershipTarget}
					where ${partnershipTarget.partnershipId} = ${partnership.id}`
			),
			members: membersOfRow,
			total: chosen.total
		})
		.from(partnership)
		.innerJoin(chosen, eq(chosen.id, partnership.id))
		.orderBy(...newestFirst());
}

/** A subquery of partnerships' ids, each with a count. */
type Chosen = Subquery & { id: SQLWrapper; total: SQL.Aliased<number> };

/** A row of `pageStatement` in the reader's language, its members by side. */
export function partnershipRow(
	r: Awaited<ReturnType<typeof pageStatement>>[number],
	locale: string
): PartnershipRow {
	const found = { swedish: [] as OrganizationRef[], international: [] as OrganizationRef[] };
	for (const [role, ...org] of r.members ?? [])
		(role === 'swedish' ? found.swedish : found.international).push(organizationRef(org, locale));
	return {
		id: r.id,
		slug: r.slug,
		status: r.status,
		startYear: r.startYear,
		endYear: r.endYear,
		summary: pick(r.summary, locale),
		swedish: found.swedish,
		international: found.international,
		themes: (r.themes ?? []).map((t) => ({ key: t.key, name: pick(t.name, locale) })),
		goals: r.goals ?? [],
		targets: r.targets ?? []
	};
}

/**
 * A page of partnerships (newest start first) and, with `withMap`, the members of the whole
 * filtered set for the map; without it only the page's members are read (the API, a CSV, an
 * organization's page).
 */
export async function listPartnerships(
	db: Database,
	locale: string,
	filter: PartnershipFilter & { members?: number[] },
	perPage = 50,
	{ withMap = false }: { withMap?: boolean } = {}
): Promise<PartnershipPage> {
	const condition = partnershipConditions(filter);
	const offset = (filter.page - 1) * perPage;
	const [page, all] = await Promise.all([
		pageStatement(db, condition, perPage, offset),
		withMap ? membersOf(db, locale, condition) : null
	]);
	const total = page[0]?.total ?? (offset && all ? all.size : 0);
	return {
		rows: page.map((r) => partnershipRow(r, locale)),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / perPage)),
		perPage,
		map: all ? [...all.values()] : []
	};
}

/**
 * The list as the page, the API and the CSV ask for it: a theme or target the filter names must
 * exist (a clear 400, not an empty list); then the page of partnerships.
 */
export async function findPartnerships(
	db: Database,
	locale: string,
	filter: PartnershipFilter,
	perPage = 50,
	options: { withMap?: boolean } = {}
): Promise<PartnershipPage> {
	const problems: FieldProblem<'partnerships'>[] = await unknownFilterTags(db, filter);
	if (problems.length) throw new ValidationError(problems, 'partnerships');
	return listPartnerships(db, locale, filter, perPage, options);
}

export interface PartnershipDetail extends PartnershipRow {
	description: string;
	phases: { phase: PartnershipPhase; fromYear: number; toYear: number | null }[];
	team: { id: number; side: string; role: TeamRole; name: string; title: string }[];
	targetTexts: { code: string; title: string; text: string; lang: string }[];
	documents: { href: string; fileName: string; title: string; bytes: number }[];
	articles: { slug: string; title: string; teaser: string; kind: string }[];
	/** Its lead image, described in the language (null without one or without a description). */
	image: LeadImage | null;
	updatedAt: string;
}

/** One partnership with everything its page shows, or null. */
export async function getPartnership(
	db: Database,
	locale: string,
	slug: string
): Promise<PartnershipDetail | null> {
	const [r] = await db
		.select({
			...listed,
			description: partnership.description,
			updatedAt: partnership.updatedAt,
			targets: subquery<{ code: string; title: LocalizedText; text: LocalizedText }[] | null>(
				sql`select json_agg(json_build_object('code', ${sdgTarget.code}, 'title', ${sdgTarget.title}, 'text', ${sdgTarget.text}) order by ${sdgTarget.goal}, ${sdgTarget.position})
					from ${partnershipTarget} join ${sdgTarget} on ${sdgTarget.code} = ${partnershipTarget.target}
					where ${partnershipTarget.partnershipId} = ${partnership.id}`
			),
			phases: subquery<{ phase: PartnershipPhase; fromYear: number; toYear: number | null }[] | null>(
				sql`select json_agg(json_build_object('phase', ${partnershipPhase.phase}, 'fromYear', ${partnershipPhase.fromYear}, 'toYear', ${partnershipPhase.toYear}) order by ${partnershipPhase.fromYear})
					from ${partnershipPhase} where ${partnershipPhase.partnershipId} = ${partnership.id}`
			),
			team: subquery<
				{ id: number; side: string; role: TeamRole; name: string; title: LocalizedText }[] | null
			>(
				sql`select json_agg(json_build_object('id', ${partnershipTeamMember.id}, 'side', ${partnershipTeamMember.side}, 'role', ${partnershipTeamMember.role}, 'name', ${partnershipTeamMember.name}, 'title', ${partnershipTeamMember.title})
						order by ${partnershipTeamMember.side} desc, ${partnershipTeamMember.position}, ${partnershipTeamMember.id})
					from ${partnershipTeamMember} where ${partnershipTeamMember.partnershipId} = ${partnership.id}`
			),
			documents: subquery<{ key: string; fileName: string; title: LocalizedText; bytes: number }[] | null>(
				sql`select json_agg(json_build_object('key', ${media.storageKey}, 'fileName', ${media.fileName}, 'title', ${partnershipDocument.title}, 'bytes', ${media.bytes}) order by ${partnershipDocument.position})
					from ${partnershipDocument} join ${media} on ${media.id} = ${partnershipDocument.mediaId}
					where ${partnershipDocument.partnershipId} = ${partnership.id}`
			),
			image: subquery<{
				key: string;
				variants: number[];
				alt: string | null;
				width: number | null;
				height: number | null;
			} | null>(
				sql`select json_build_object('key', ${media.storageKey}, 'variants', ${media.variants}, 'alt', ${media.alt}->>${locale}, 'width', ${media.width}, 'height', ${media.height})
					from ${media} where ${media.id} = ${partnership.leadImageId}`
			),
			articles: subquery<{ slug: string; title: string; teaser: string; kind: string }[] | null>(
				sql`select json_agg(json_build_object('slug', ${article.slug}, 'title', ${articleTranslation.title}, 'teaser', ${articleTranslation.teaser}, 'kind', ${article.kind}) order by ${article.publishedAt} desc)
					from ${article} join ${articleTranslation} on ${articleTranslation.articleId} = ${article.id} and ${articleTranslation.lang} = ${locale}
					where ${article.partnershipId} = ${partnership.id} and ${article.status} = 'published' and ${article.publishedAt} <= now()`
			)
		})
		.from(partnership)
		.where(eq(partnership.slug, slug));
	if (!r) return null;
	const members = (await membersOf(db, locale, eq(partnership.id, r.id))).get(r.id) ?? {
		swedish: [],
		international: []
	};
	const targets = r.targets ?? [];
	return {
		id: r.id,
		slug: r.slug,
		status: r.status,
		startYear: r.startYear,
		endYear: r.endYear,
		summary: pick(r.summary, locale),
		// Stored sanitised; sanitised again on the way out, like article bodies.
		description: sanitizeRichText(pick(r.description, locale)),
		updatedAt: r.updatedAt.toISOString(),
		swedish: members.swedish,
		international: members.international,
		themes: (r.themes ?? []).map((t) => ({ key: t.key, name: pick(t.name, locale) })),
		goals: r.goals ?? [],
		targets: targets.map((t) => t.code),
		targetTexts: targets.map((t) => targetInLanguage(t, locale)),
		phases: r.phases ?? [],
		team: (r.team ?? []).map((t) => ({ ...t, title: pick(t.title, locale) })),
		documents: (r.documents ?? []).map((d) => ({
			href: documentHref(d.key, d.fileName),
			fileName: d.fileName,
			title: pick(d.title, locale) || d.fileName,
			bytes: d.bytes
		})),
		articles: r.articles ?? [],
		image: r.image
			? leadImage(r.image.key, r.image.variants, r.image.alt, r.image.width, r.image.height)
			: null
	};
}

/** Every partnership's address and last change, for the sitemap. */
export async function partnershipAddresses(db: Database): Promise<{ slug: string; updatedAt: string }[]> {
	const rows = await db
		.select({ slug: partnership.slug, updatedAt: partnership.updatedAt })
		.from(partnership)
		.orderBy(partnership.slug);
	return rows.map((r) => ({ slug: r.slug, updatedAt: new Date(r.updatedAt).toISOString() }));
}
