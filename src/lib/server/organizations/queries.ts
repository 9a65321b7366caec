import { and, asc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { pick } from '../kernel/localized.ts';
import { partnershipMember } from '../partnerships/schema.ts';
import { article, articleOrganization } from '../content/schema.ts';
import { organization, type OrganizationKind } from './schema.ts';
import type { OrganizationFilter } from './input.ts';
import { organizationsPolicy } from './policy.ts';
import { subquery } from '../kernel/sql.ts';

export interface OrganizationDetail {
	id: number;
	slug: string;
	name: string;
	kind: OrganizationKind;
	country: string;
	county: string | null;
	municipalityCode: string | null;
	reference: boolean;
	lat: number | null;
	lon: number | null;
	/** The partnerships it is a member of (the partnerships module shows them). */
	partnershipIds: number[];
	/** The published inspiration that mentions it, newest first (the content module shows it). */
	articleIds: number[];
}

/**
 * One organization, with the ids of its partnerships and of the published inspiration that
 * mentions it: the page asks those modules for them.
 */
export async function getOrganization(
	db: Database,
	locale: string,
	slug: string
): Promise<OrganizationDetail | null> {
	const { createdAt: _created, ...columns } = getTableColumns(organization);
	const [o] = await db
		.select({
			...columns,
			partnershipIds: subquery<number[] | null>(
				sql`select json_agg(${partnershipMember.partnershipId}) from ${partnershipMember}
					where ${partnershipMember.organizationId} = ${organization.id}`
			),
			articleIds: subquery<number[] | null>(
				sql`select json_agg(${article.id} order by ${article.publishedAt} desc)
					from ${articleOrganization} join ${article} on ${article.id} = ${articleOrganization.articleId}
					where ${articleOrganization.organizationId} = ${organization.id} and ${article.status} = 'published' and ${article.publishedAt} <= now()`
			)
		})
		.from(organization)
		.where(eq(organization.slug, slug));
	if (!o) return null;
	return {
		id: o.id,
		slug: o.slug,
		name: pick(o.name, locale),
		kind: o.kind,
		country: o.country,
		county: o.county,
		municipalityCode: o.municipalityCode,
		reference: o.reference,
		lat: o.lat,
		lon: o.lon,
		partnershipIds: o.partnershipIds ?? [],
		articleIds: o.articleIds ?? []
	};
}

export interface OrganizationRow {
	slug: string;
	name: string;
	kind: OrganizationKind;
	country: string;
	county: string | null;
	municipalityCode: string | null;
	lat: number | null;
	lon: number | null;
	partnerships: number;
}

/** Organizations by name, with how many partnerships each is in. */
export async function listOrganizations(
	db: Database,
	locale: string,
	filter: OrganizationFilter,
	perPage: number
): Promise<{ rows: OrganizationRow[]; total: number; page: number; perPage: number }> {
	const r = await db
		.select({
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			country: organization.country,
			county: organization.county,
			municipalityCode: organization.municipalityCode,
			lat: organization.lat,
			lon: organization.lon,
			partnerships: subquery<number>(
				sql`select count(*)::int from ${partnershipMember} where ${partnershipMember.organizationId} = ${organization.id}`
			),
			total: sql<number>`(count(*) over ())::int`
		})
		.from(organization)
		.where(
			and(
				sql`true`,
				filter.kind ? eq(organization.kind, filter.kind) : undefined,
				filter.country ? eq(organization.country, filter.country) : undefined,
				filter.county ? eq(organization.county, filter.county) : undefined
			)
		)
		.orderBy(sql`${organization.name}->>${locale}`, asc(organization.id))
		.limit(perPage)
		.offset((filter.page - 1) * perPage);
	return {
		rows: r.map((o) => ({
			slug: o.slug,
			name: pick(o.name, locale),
			kind: o.kind,
			country: o.country,
			county: o.county,
			municipalityCode: o.municipalityCode,
			lat: o.lat,
			lon: o.lon,
			partnerships: o.partnerships
		})),
		total: r[0]?.total ?? 0,
		page: filter.page,
		perPage
	};
}

/** The organizations editors made (the Swedish reference data is not edited here). */
export async function listEditableOrganizations(db: Database, actor: Actor) {
	authorize(actor, organizationsPolicy.manage);
	return db
		.select({
			id: organization.id,
			slug: organization.slug,
			name: organization.name,
			kind: organization.kind,
			country: organization.country,
			lat: organization.lat,
			lon: organization.lon
		})
		.from(organization)
		.where(eq(organization.reference, false))
		.orderBy(sql`${organization.name}->>'sv'`);
}

/** Every organization's address, for the sitemap. */
export async function organizationAddresses(db: Database): Promise<string[]> {
	const rows = await db.select({ slug: organization.slug }).from(organization).orderBy(organization.slug);
	return rows.map((r) => r.slug);
}
