import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import type { OrganizationKind } from '../organizations/schema.ts';
import type { PartnershipPhase, PartnershipStatus, TeamRole } from './schema.ts';
import type { PartnershipFilter } from './validation.ts';
import { sanitizeRichText } from '../kernel/sanitize.ts';
import { documentHref } from '#lib/media-urls.ts';

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

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** The filters as SQL on `p` (a partnership). Every one is served by an index. */
export function partnershipConditions(filter: Omit<PartnershipFilter, 'page'> & { members?: number[] }): SQL {
	const where: SQL[] = [sql`true`];
	if (filter.members?.length)
		where.push(
			sql`exists (select 1 from partnership_member m where m.partnership_id = p.id and m.organization_id in ${filter.members})`
		);
	if (filter.status) where.push(sql`p.status = ${filter.status}`);
	if (filter.theme)
		where.push(
			sql`exists (select 1 from partnership_theme x where x.partnership_id = p.id and x.theme_key = ${filter.theme})`
		);
	if (filter.goal)
		where.push(
			sql`exists (select 1 from partnership_goal x where x.partnership_id = p.id and x.goal = ${filter.goal})`
		);
	if (filter.target)
		where.push(
			sql`exists (select 1 from partnership_target x where x.partnership_id = p.id and x.target = ${filter.target})`
		);
	if (filter.country)
		where.push(sql`exists (select 1 from partnership_member m join organization o on o.id = m.organization_id
			where m.partnership_id = p.id and m.role = 'international' and o.country = ${filter.country})`);
	if (filter.county)
		where.push(sql`exists (select 1 from partnership_member m join organization o on o.id = m.organization_id
			where m.partnership_id = p.id and m.role = 'swedish' and o.county = ${filter.county})`);
	return sql.join(where, sql` and `);
}

/**
 * The members of every partnership that matches, by side: one narrow query for the links and
 * one for the organizations they name (each once, however many partnerships it is in).
 */
async function membersOf(db: Database, locale: string, where: SQL) {
	// Each comes back as one JSON value: thousands of rows cost far more to hand over one by one.
	type Link = [id: number, slug: string, role: string, org: number];
	type Org = [
		number,
		string,
		LocalizedText,
		OrganizationKind,
		string,
		string | null,
		string | null,
		number | null,
		number | null
	];
	const [[links], [orgs]] = await Promise.all([
		rows<{ all: Link[] | string | null }>(
			db,
			sql`select json_agg(json_build_array(p.id, p.slug, m.role, m.organization_id) order by p.id, m.organization_id) as all
				from partnership p join partnership_member m on m.partnership_id = p.id
				where ${where}`
		),
		rows<{ all: Org[] | string | null }>(
			db,
			sql`select json_agg(json_build_array(o.id, o.slug, o.name, o.kind, o.country, o.municipality_code, o.county, o.lat, o.lon)) as all
				from organization o
				where o.id in (select m.organization_id from partnership p join partnership_member m on m.partnership_id = p.id where ${where})`
		)
	]);
	const byId = new Map<number, OrganizationRef>();
	for (const [id, slug, name, kind, country, municipalityCode, county, lat, lon] of json(orgs?.all ?? null) ??
		[]) {
		byId.set(id, { id, slug, name: pick(name, locale), kind, country, municipalityCode, county, lat, lon });
	}
	const by = new Map<number, MapPartnership>();
	for (const [id, slug, role, orgId] of json(links?.all ?? null) ?? []) {
		let entry = by.get(id);
		if (!entry) by.set(id, (entry = { slug, swedish: [], international: [] }));
		const org = byId.get(orgId);
		if (org) (role === 'swedish' ? entry.swedish : entry.international).push(org);
	}
	return by;
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
		rows<{
			id: number;
			slug: string;
			status: PartnershipStatus;
			start_year: number | null;
			end_year: number | null;
			summary: LocalizedText | string;
			themes: { key: string; name: LocalizedText }[] | string | null;
			goals: number[] | string | null;
			targets: string[] | string | null;
			total: number;
		}>(
			db,
			sql`select p.id, p.slug, p.status, p.start_year, p.end_year, p.summary,
				(select json_agg(json_build_object('key', th.key, 'name', th.name) order by th.position) from partnership_theme x join theme th on th.key = x.theme_key where x.partnership_id = p.id) as themes,
				(select json_agg(x.goal order by x.goal) from partnership_goal x where x.partnership_id = p.id) as goals,
				(select json_agg(x.target order by x.target) from partnership_target x where x.partnership_id = p.id) as targets,
				count(*) over ()::int as total
			from partnership p where ${condition}
			order by p.start_year desc nulls last, p.id desc
			limit ${perPage} offset ${offset}`
		),
		withMap ? membersOf(db, locale, condition) : null
	]);
	const members =
		all ?? (page.length ? await membersOf(db, locale, sql`p.id in ${page.map((r) => r.id)}`) : new Map());
	const total = page[0]?.total ?? (offset && all ? all.size : 0);
	return {
		rows: page.map((r) => {
			const m = members.get(r.id) ?? { swedish: [], international: [] };
			return {
				id: r.id,
				slug: r.slug,
				status: r.status,
				startYear: r.start_year,
				endYear: r.end_year,
				summary: pick(json(r.summary), locale),
				swedish: m.swedish,
				international: m.international,
				themes: (json(r.themes) ?? []).map((t) => ({ key: t.key, name: pick(t.name, locale) })),
				goals: json(r.goals) ?? [],
				targets: json(r.targets) ?? []
			};
		}),
		total,
		page: filter.page,
		pages: Math.max(1, Math.ceil(total / perPage)),
		perPage,
		map: all ? [...all.values()] : []
	};
}

export interface PartnershipDetail extends PartnershipRow {
	description: string;
	phases: { phase: PartnershipPhase; fromYear: number; toYear: number | null }[];
	team: { id: number; side: string; role: TeamRole; name: string; title: string }[];
	targetTexts: { code: string; text: string }[];
	documents: { href: string; fileName: string; title: string; bytes: number }[];
	articles: { slug: string; title: string; teaser: string; kind: string }[];
	updatedAt: string;
}

/** One partnership with everything its page shows, or null. */
export async function getPartnership(
	db: Database,
	locale: string,
	slug: string
): Promise<PartnershipDetail | null> {
	const [r] = await rows<{
		id: number;
		slug: string;
		status: PartnershipStatus;
		start_year: number | null;
		end_year: number | null;
		summary: LocalizedText | string;
		description: LocalizedText | string;
		updated_at: string;
		themes: { key: string; name: LocalizedText }[] | string | null;
		goals: number[] | string | null;
		targets: { code: string; text: LocalizedText }[] | string | null;
		phases: { phase: PartnershipPhase; fromYear: number; toYear: number | null }[] | string | null;
		team: { id: number; side: string; role: TeamRole; name: string; title: LocalizedText }[] | string | null;
		documents: { key: string; fileName: string; title: LocalizedText; bytes: number }[] | string | null;
		articles: { slug: string; title: string; teaser: string; kind: string }[] | string | null;
	}>(
		db,
		sql`select p.id, p.slug, p.status, p.start_year, p.end_year, p.summary, p.description, p.updated_at,
			(select json_agg(json_build_object('key', th.key, 'name', th.name) order by th.position) from partnership_theme x join theme th on th.key = x.theme_key where x.partnership_id = p.id) as themes,
			(select json_agg(x.goal order by x.goal) from partnership_goal x where x.partnership_id = p.id) as goals,
			(select json_agg(json_build_object('code', g.code, 'text', g.text) order by g.goal, g.position) from partnership_target x join sdg_target g on g.code = x.target where x.partnership_id = p.id) as targets,
			(select json_agg(json_build_object('phase', ph.phase, 'fromYear', ph.from_year, 'toYear', ph.to_year) order by ph.from_year) from partnership_phase ph where ph.partnership_id = p.id) as phases,
			(select json_agg(json_build_object('id', t.id, 'side', t.side, 'role', t.role, 'name', t.name, 'title', t.title) order by t.side desc, t.position, t.id) from partnership_team_member t where t.partnership_id = p.id) as team,
			(select json_agg(json_build_object('key', md.storage_key, 'fileName', md.file_name, 'title', d.title, 'bytes', md.bytes) order by d.position) from partnership_document d join media md on md.id = d.media_id where d.partnership_id = p.id) as documents,
			(select json_agg(json_build_object('slug', a.slug, 'title', t.title, 'teaser', t.teaser, 'kind', a.kind) order by a.published_at desc)
				from article a join article_translation t on t.article_id = a.id and t.lang = ${locale}
				where a.partnership_id = p.id and a.status = 'published' and a.published_at <= now()) as articles
		from partnership p where p.slug = ${slug}`
	);
	if (!r) return null;
	const members = (await membersOf(db, locale, sql`p.id = ${r.id}`)).get(r.id) ?? {
		swedish: [],
		international: []
	};
	const targets = json(r.targets) ?? [];
	return {
		id: r.id,
		slug: r.slug,
		status: r.status,
		startYear: r.start_year,
		endYear: r.end_year,
		summary: pick(json(r.summary), locale),
		// Stored sanitised; sanitised again on the way out, like article bodies.
		description: sanitizeRichText(pick(json(r.description), locale)),
		updatedAt: new Date(r.updated_at).toISOString(),
		swedish: members.swedish,
		international: members.international,
		themes: (json(r.themes) ?? []).map((t) => ({ key: t.key, name: pick(t.name, locale) })),
		goals: json(r.goals) ?? [],
		targets: targets.map((t) => t.code),
		targetTexts: targets.map((t) => ({ code: t.code, text: pick(t.text, locale) })),
		phases: json(r.phases) ?? [],
		team: (json(r.team) ?? []).map((t) => ({ ...t, title: pick(t.title, locale) })),
		documents: (json(r.documents) ?? []).map((d) => ({
			href: documentHref(d.key, d.fileName),
			fileName: d.fileName,
			title: pick(d.title, locale) || d.fileName,
			bytes: d.bytes
		})),
		articles: json(r.articles) ?? []
	};
}

/** What the filters offer: countries of international partners and counties of Swedish ones. */
export async function partnershipFilterOptions(
	db: Database
): Promise<{ countries: string[]; counties: string[]; targets: string[] }> {
	const [r] = await rows<{
		countries: string[] | string | null;
		counties: string[] | string | null;
		targets: string[] | string | null;
	}>(
		db,
		sql`select (select json_agg(t.code order by t.goal, t.position) from sdg_target t where exists (select 1 from partnership_target x where x.target = t.code)) as targets,
			(select json_agg(distinct o.country) from partnership_member m join organization o on o.id = m.organization_id where m.role = 'international') as countries,
			(select json_agg(distinct o.county) from partnership_member m join organization o on o.id = m.organization_id where m.role = 'swedish' and o.county is not null) as counties`
	);
	return {
		countries: json(r?.countries ?? null) ?? [],
		counties: json(r?.counties ?? null) ?? [],
		targets: json(r?.targets ?? null) ?? []
	};
}
