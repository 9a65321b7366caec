import { sql, type SQL } from 'drizzle-orm';
import { ValidationError, type FieldProblem } from '../kernel/errors.ts';
import { isCountryCode } from '../kernel/countries.ts';
import type { Database } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { cardsByIds, type ArticleCard } from '../content/queries.ts';
import { listPartnerships, type PartnershipRow } from '../partnerships/queries.ts';
import { organizationKinds, type OrganizationKind } from './schema.ts';

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
	partnerships: PartnershipRow[];
	articles: ArticleCard[];
}

/** One organization, its partnerships and the published inspiration that mentions it. */
export async function getOrganization(
	db: Database,
	locale: string,
	slug: string
): Promise<OrganizationDetail | null> {
	const [o] = await rows<{
		id: number;
		slug: string;
		name: LocalizedText;
		kind: OrganizationKind;
		country: string;
		county: string | null;
		municipality_code: string | null;
		reference: boolean;
		lat: number | null;
		lon: number | null;
		partnership_ids: number[] | string | null;
		article_ids: number[] | string | null;
	}>(
		db,
		sql`select o.*,
			(select json_agg(m.partnership_id) from partnership_member m where m.organization_id = o.id) as partnership_ids,
			(select json_agg(a.id order by a.published_at desc) from article_organization x join article a on a.id = x.article_id
				where x.organization_id = o.id and a.status = 'published' and a.published_at <= now()) as article_ids
		from organization o where o.slug = ${slug}`
	);
	if (!o) return null;
	const parse = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
	const partnershipIds = parse(o.partnership_ids) ?? [];
	const partnerships = partnershipIds.length
		? (await listPartnerships(db, locale, { page: 1, members: [o.id] }, 200)).rows
		: [];
	return {
		id: o.id,
		slug: o.slug,
		name: pick(o.name, locale),
		kind: o.kind,
		country: o.country,
		county: o.county,
		municipalityCode: o.municipality_code,
		reference: o.reference,
		lat: o.lat,
		lon: o.lon,
		partnerships,
		articles: await cardsByIds(db, locale, (parse(o.article_ids) ?? []).slice(0, 20))
	};
}

export interface OrganizationFilter {
	kind?: OrganizationKind;
	country?: string;
	county?: string;
	page: number;
}

/** Parses /api/v1/organizations' filters; each bad or repeated parameter is named. */
export function parseOrganizationFilter(params: URLSearchParams): OrganizationFilter {
	const problems: FieldProblem<'organizations'>[] = [];
	const one = (name: string) => {
		const all = params
			.getAll(name)
			.map((v) => v.trim())
			.filter(Boolean);
		if (all.length > 1) problems.push({ field: name, code: 'repeated' });
		return all.length === 1 ? all[0] : undefined;
	};
	const kind = one('kind');
	const country = one('country')?.toUpperCase();
	const county = one('county');
	const page = one('page');
	const filter: OrganizationFilter = { page: 1 };
	if (kind !== undefined) {
		if ((organizationKinds as readonly string[]).includes(kind)) filter.kind = kind as OrganizationKind;
		else problems.push({ field: 'kind', code: 'invalidOrganizationKind' });
	}
	if (country !== undefined) {
		if (isCountryCode(country)) filter.country = country;
		else problems.push({ field: 'country', code: 'invalidCountry' });
	}
	if (county !== undefined) {
		if (/^\d{2}$/.test(county)) filter.county = county;
		else problems.push({ field: 'county', code: 'invalidCounty' });
	}
	if (page !== undefined) {
		if (/^\d{1,4}$/.test(page) && Number(page) >= 1) filter.page = Number(page);
		else problems.push({ field: 'page', code: 'invalidPage' });
	}
	if (problems.length) throw new ValidationError(problems, 'organizations');
	return filter;
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
	const where: SQL[] = [sql`true`];
	if (filter.kind) where.push(sql`o.kind = ${filter.kind}`);
	if (filter.country) where.push(sql`o.country = ${filter.country}`);
	if (filter.county) where.push(sql`o.county = ${filter.county}`);
	const r = await rows<{
		slug: string;
		name: LocalizedText;
		kind: OrganizationKind;
		country: string;
		county: string | null;
		municipality_code: string | null;
		lat: number | null;
		lon: number | null;
		partnerships: number;
		total: number;
	}>(
		db,
		sql`select o.slug, o.name, o.kind, o.country, o.county, o.municipality_code, o.lat, o.lon,
			(select count(*)::int from partnership_member m where m.organization_id = o.id) as partnerships,
			count(*) over ()::int as total
		from organization o where ${sql.join(where, sql` and `)}
		order by o.name->>${locale}, o.id
		limit ${perPage} offset ${(filter.page - 1) * perPage}`
	);
	return {
		rows: r.map((o) => ({
			slug: o.slug,
			name: pick(o.name, locale),
			kind: o.kind,
			country: o.country,
			county: o.county,
			municipalityCode: o.municipality_code,
			lat: o.lat,
			lon: o.lon,
			partnerships: o.partnerships
		})),
		total: r[0]?.total ?? 0,
		page: filter.page,
		perPage
	};
}
