import { and, count, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { pick } from '../../kernel/localized.ts';
import { unknownFilterTags } from '../../taxonomy/known.ts';
import { organization } from '../../organizations/schema.ts';
import { countryName, type Locale } from '#lib/i18n/index.ts';
import { partnerProfile, type ProfileStatus } from '../schema.ts';
import { partnerSearchPolicy } from '../policy.ts';
import { countriesOfRegion, isWorldRegion, regionsOfCountry } from '../regions.ts';
import { languageName, placeName, readNames, shown, type Names, type ShownText } from '../names.ts';
import { membershipsOf, type Membership } from '../memberships.ts';
import type { ProfileFilter, ProfileFormValues } from '../input.ts';

// Reading profiles: the public listing and one profile (never the contact address), and the
// organization's own view of its profile (with it).

/** Profiles on one page of the listing. */
export const profilesPerPage = 20;

/** A profile's public columns and its organization's: what the listing and suggestions show. */
export const profileColumns = {
	id: partnerProfile.id,
	organizationId: partnerProfile.organizationId,
	slug: organization.slug,
	orgName: organization.name,
	country: organization.country,
	kind: organization.kind,
	themes: partnerProfile.themes,
	goals: partnerProfile.goals,
	targets: partnerProfile.targets,
	regions: partnerProfile.regions,
	languages: partnerProfile.languages,
	offer: partnerProfile.offer,
	seek: partnerProfile.seek,
	contactName: partnerProfile.contactName,
	renewedAt: partnerProfile.renewedAt,
	expiresAt: partnerProfile.expiresAt
};

/** A row of `profileColumns`. */
export type ProfileRow = { [K in keyof typeof profileColumns]: (typeof profileColumns)[K]['_']['data'] };

/** Listed: not hidden by an editor, not expired. */
export const visible = and(eq(partnerProfile.status, 'active'), gt(partnerProfile.expiresAt, sql`now()`))!;

/** A profile as anyone may see it: never the contact address. */
export interface PublicProfile {
	id: number;
	organization: {
		id: number;
		slug: string;
		name: string;
		country: string;
		countryName: string;
		kind: string;
	};
	themes: { key: string; name: string }[];
	goals: { number: number; name: string }[];
	targets: { code: string; title: string }[];
	regions: { code: string; name: string }[];
	languages: { code: string; name: string }[];
	offer: ShownText;
	seek: ShownText;
	contactName: string;
	renewedAt: string;
	expiresAt: string;
}

/** A profile row in the reader's language. */
export function publicProfile(r: ProfileRow, names: Names): PublicProfile {
	const { locale } = names;
	return {
		id: r.id,
		organization: {
			id: r.organizationId,
			slug: r.slug,
			name: pick(r.orgName, locale),
			country: r.country,
			countryName: countryName(locale, r.country),
			kind: r.kind
		},
		themes: r.themes.map((key) => ({ key, name: names.themeName.get(key) ?? key })),
		goals: r.goals.map((n) => ({ number: Number(n), name: names.goalName.get(Number(n)) ?? '' })),
		targets: r.targets.map((code) => ({ code, title: names.targetName.get(code) ?? '' })),
		regions: r.regions.map((code) => ({ code, name: placeName(locale, code) })),
		languages: r.languages.map((code) => ({ code, name: languageName(locale, code) })),
		offer: shown(r.offer, locale),
		seek: shown(r.seek, locale),
		contactName: r.contactName,
		renewedAt: r.renewedAt.toISOString(),
		expiresAt: r.expiresAt.toISOString()
	};
}

const anyOf = (values: readonly string[]) =>
	sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	);

/** The SQL for one listing filter (all of them must hold). */
function filterConditions(filter: ProfileFilter): SQL[] {
	const p = partnerProfile;
	const where: SQL[] = [visible];
	if (filter.theme) where.push(sql`${p.themes} @> jsonb_build_array(${filter.theme}::text)`);
	if (filter.target) where.push(sql`${p.targets} @> jsonb_build_array(${filter.target}::text)`);
	if (filter.goal) {
		// A profile works on a goal when it names the goal or one of its targets.
		where.push(sql`(${p.goals} @> jsonb_build_array(${filter.goal}::int)
			or exists (select 1 from jsonb_array_elements_text(${p.targets}) t where split_part(t, '.', 1) = ${String(filter.goal)}))`);
	}
	if (filter.location) {
		const countries = isWorldRegion(filter.location) ? countriesOfRegion(filter.location) : [filter.location];
		where.push(inArray(organization.country, [...countries]));
	}
	if (filter.region) {
		// "Looking in Botswana" matches a profile looking in Africa too, and the other way round.
		const covering = isWorldRegion(filter.region)
			? [filter.region, ...countriesOfRegion(filter.region)]
			: [filter.region, ...regionsOfCountry(filter.region)];
		where.push(
			sql`exists (select 1 from jsonb_array_elements_text(${p.regions}) r where r in (${anyOf(covering)}))`
		);
	}
	if (filter.language) where.push(sql`${p.languages} @> jsonb_build_array(${filter.language}::text)`);
	if (filter.q) {
		const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		const o = organization;
		where.push(sql`concat_ws(' ', ${o.name}->>'sv', ${o.name}->>'en', ${p.offer}->>'sv', ${p.offer}->>'en',
			${p.seek}->>'sv', ${p.seek}->>'en') ilike ${like}`);
	}
	return where;
}

/** One page of the public listing and the filter that made it. */
export interface ProfileListing {
	filter: ProfileFilter;
	items: PublicProfile[];
	total: number;
	page: number;
	pages: number;
}

/**
 * The public listing: active, unexpired profiles, newest renewed first, filtered (theme, goal or
 * target, location, region of interest, language, text, page). An unknown theme or target is a
 * ValidationError, not an empty list; the contact address is never read.
 */
export async function listProfiles(
	db: Database,
	names: Names,
	filter: ProfileFilter
): Promise<ProfileListing> {
	const unknown = await unknownFilterTags(db, filter);
	if (unknown.length) throw new ValidationError(unknown, 'partnerSearch');
	const where = and(...filterConditions(filter));
	const [[total], found] = await Promise.all([
		db
			.select({ n: count() })
			.from(partnerProfile)
			.innerJoin(organization, eq(organization.id, partnerProfile.organizationId))
			.where(where),
		db
			.select(profileColumns)
			.from(partnerProfile)
			.innerJoin(organization, eq(organization.id, partnerProfile.organizationId))
			.where(where)
			.orderBy(desc(partnerProfile.renewedAt), desc(partnerProfile.id))
			.limit(profilesPerPage)
			.offset((filter.page - 1) * profilesPerPage)
	]);
	const n = Number(total?.n ?? 0);
	return {
		filter,
		items: found.map((r) => publicProfile(r, names)),
		total: n,
		page: filter.page,
		pages: Math.max(1, Math.ceil(n / profilesPerPage))
	};
}

/** Every listed profile (the candidates for suggestions). */
export function visibleProfiles(db: Database | Transaction): Promise<ProfileRow[]> {
	return db
		.select(profileColumns)
		.from(partnerProfile)
		.innerJoin(organization, eq(organization.id, partnerProfile.organizationId))
		.where(visible);
}

/** One active, unexpired profile; NotFoundError otherwise (hidden and expired ones are gone for the public). */
export async function getProfile(db: Database, locale: Locale, id: number): Promise<PublicProfile> {
	const [[found], names] = await Promise.all([
		db
			.select(profileColumns)
			.from(partnerProfile)
			.innerJoin(organization, eq(organization.id, partnerProfile.organizationId))
			.where(and(eq(partnerProfile.id, id), visible)),
		readNames(db, locale)
	]);
	if (!found) throw new NotFoundError('Profile');
	return publicProfile(found, names);
}

/** The organization's own view of its profile: what the form shows, and its state. */
export interface OwnProfile {
	id: number;
	values: ProfileFormValues;
	status: ProfileStatus;
	moderationNote: string | null;
	renewedAt: string;
	expiresAt: string;
	expired: boolean;
}

/**
 * The profile page's data for a signed-in user: the organizations they work for and, for the
 * chosen one (the first when none is asked for), its profile with the contact address.
 */
export async function ownProfiles(
	db: Database,
	actor: Actor,
	locale: Locale,
	organizationId?: number
): Promise<{ memberships: Membership[]; chosen: Membership | null; profile: OwnProfile | null }> {
	authorize(actor, partnerSearchPolicy.postProfile);
	const memberships = await membershipsOf(db, actor.id, locale);
	const chosen =
		organizationId === undefined
			? (memberships[0] ?? null)
			: (memberships.find((m) => m.id === organizationId) ?? null);
	if (organizationId !== undefined && !chosen) throw new NotFoundError('Organization');
	if (!chosen) return { memberships, chosen: null, profile: null };
	const [p] = await db.select().from(partnerProfile).where(eq(partnerProfile.organizationId, chosen.id));
	if (!p) return { memberships, chosen, profile: null };
	return {
		memberships,
		chosen,
		profile: {
			id: p.id,
			values: {
				themes: p.themes,
				goals: p.goals.map(String),
				targets: p.targets.join(', '),
				regions: p.regions,
				languages: p.languages,
				offerSv: p.offer.sv ?? '',
				offerEn: p.offer.en ?? '',
				seekSv: p.seek.sv ?? '',
				seekEn: p.seek.en ?? '',
				contactName: p.contactName,
				contactEmail: p.contactEmail
			},
			status: p.status,
			moderationNote: p.moderationNote,
			renewedAt: p.renewedAt.toISOString(),
			expiresAt: p.expiresAt.toISOString(),
			expired: p.expiresAt.getTime() <= Date.now()
		}
	};
}

/** The ids of the profiles the public sees (active, unexpired), for the sitemap. */
export async function profileAddresses(db: Database): Promise<number[]> {
	const rows = await db
		.select({ id: partnerProfile.id })
		.from(partnerProfile)
		.where(visible)
		.orderBy(partnerProfile.id);
	return rows.map((r) => r.id);
}
