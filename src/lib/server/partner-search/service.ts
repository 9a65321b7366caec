import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database, Transaction } from '../kernel/database.ts';
import { rows } from '../kernel/rows.ts';
import { audit } from '../kernel/audit.ts';
import { bumpRevision } from '../kernel/revision.ts';
import { contentChanged } from '../kernel/content-version.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { authorize, can, type Actor } from '../kernel/policy.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { logger } from '../kernel/logger.ts';
import { countryList } from '../kernel/countries.ts';
import { sendMail } from '../kernel/mail.ts';
import { signInThrottle, user } from '../accounts/schema.ts';
import { organization, organizationMember } from '../organizations/schema.ts';
import { countryName, format, localizePath, messages, type Locale } from '#lib/i18n/index.ts';
import { contactRequest, partnerProfile, type ContactStatus, type ProfileStatus } from './schema.ts';
import { countriesOfRegion, isWorldRegion, placeCovers, regionsOfCountry, worldRegions } from './regions.ts';
import {
	parseContactForm,
	parseModerationForm,
	parseProfileFilter,
	parseProfileForm,
	parseReplyForm,
	parseReportForm,
	workingLanguages,
	type KnownTags,
	type ProfileFilter,
	type ProfileFormValues,
	type ProfileInput
} from './validation.ts';
import { readDataFile } from '../kernel/data-files.ts';
import { partnerSearchPolicy } from './policy.ts';

// "Find a partner": an organization's staff post a profile; members of other organizations find
// it in a filtered list or among suggestions ranked by fit, and write to it. A contact request
// goes by mail with a one-time answer link; neither side sees the other's address until the
// recipient answers through that link. Editors hide profiles and see reported requests.
//
// Who may act: the rules in core/permissions.ts (`partnerSearch`) first, then the data check that
// this domain adds — the actor works for the organization (`organization_member`).

/** A profile lives this long after it was saved or renewed. */
export const profileLifetimeMonths = 12;
/** Contact requests a person may send in a day, and an organization's staff together. */
export const contactsPerUser = 5;
export const contactsPerOrganization = 20;
const contactWindowSeconds = 24 * 60 * 60;
/** An answer link older than this no longer works. */
export const answerWindowDays = 90;
/** Profiles on one page of the listing. */
export const profilesPerPage = 20;

/** Too many contact requests: the form says when the next one may go. */
export class ContactLimitError extends Error {
	readonly retryAfterSeconds: number;
	constructor(retryAfterSeconds: number) {
		super('Contact request limit reached');
		this.name = 'ContactLimitError';
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

// ---------------------------------------------------------------------------------------------
// Names: themes, goals, places and languages in the reader's language.

const languageNames = new Map<string, Intl.DisplayNames>();

/** A working language's name in the interface language ("sq" → "albanska" / "Albanian"). */
export function languageName(locale: Locale, code: string): string {
	let names = languageNames.get(locale);
	if (!names) languageNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'language' })));
	try {
		return names.of(code) ?? code;
	} catch {
		return code;
	}
}

/** A place of interest's name: a world region from the catalogue, or a country. */
export function placeName(locale: Locale, place: string): string {
	return isWorldRegion(place)
		? messages(locale).partnerSearch.worldRegions[place]
		: countryName(locale, place);
}

interface Names {
	locale: Locale;
	themes: Map<string, string>;
	goals: Map<number, string>;
}

async function namesFor(db: Database | Transaction, locale: Locale): Promise<Names> {
	const [themes, goals] = await Promise.all([
		rows<{ key: string; name: LocalizedText }>(db, sql`select key, name from theme order by position, key`),
		rows<{ number: number; short_name: LocalizedText }>(
			db,
			sql`select number, short_name from sdg_goal order by number`
		)
	]);
	return {
		locale,
		themes: new Map(themes.map((t) => [t.key, pick(t.name, locale)])),
		goals: new Map(goals.map((g) => [Number(g.number), pick(g.short_name, locale)]))
	};
}

async function knownTags(db: Database | Transaction): Promise<KnownTags> {
	const [themes, targets] = await Promise.all([
		rows<{ key: string }>(db, sql`select key from theme`),
		rows<{ code: string }>(db, sql`select code from sdg_target`)
	]);
	return { themes: new Set(themes.map((t) => t.key)), targets: new Set(targets.map((t) => t.code)) };
}

/** Everything the profile form and the listing's filters offer, named in the language. */
export interface PartnerSearchOptions {
	themes: { key: string; name: string; kind: 'principle' | 'topic' }[];
	goals: { number: number; name: string }[];
	worldRegions: { code: string; name: string }[];
	countries: { code: string; name: string }[];
	languages: { code: string; name: string }[];
}

export async function partnerSearchOptions(db: Database, locale: Locale): Promise<PartnerSearchOptions> {
	const [themes, goals] = await Promise.all([
		rows<{ key: string; name: LocalizedText; kind: 'principle' | 'topic' }>(
			db,
			sql`select key, name, kind from theme order by case kind when 'principle' then 0 else 1 end, position, key`
		),
		rows<{ number: number; short_name: LocalizedText }>(
			db,
			sql`select number, short_name from sdg_goal order by number`
		)
	]);
	return {
		themes: themes.map((t) => ({ key: t.key, name: pick(t.name, locale), kind: t.kind })),
		goals: goals.map((g) => ({ number: Number(g.number), name: pick(g.short_name, locale) })),
		worldRegions: worldRegions.map((code) => ({ code, name: placeName(locale, code) })),
		countries: countryList(locale),
		languages: workingLanguages
			.map((code) => ({ code, name: languageName(locale, code) }))
			.sort((a, b) => a.name.localeCompare(b.name, locale))
	};
}

// ---------------------------------------------------------------------------------------------
// Reading profiles.

interface ProfileRow {
	id: number;
	organization_id: number;
	slug: string;
	org_name: LocalizedText;
	country: string;
	kind: string;
	themes: string[];
	goals: number[];
	targets: string[];
	regions: string[];
	languages: string[];
	offer: LocalizedText;
	seek: LocalizedText;
	contact_name: string;
	renewed_at: Date | string;
	expires_at: Date | string;
}

/** A text in the reader's language when there is one, else the other, with its language. */
export interface ShownText {
	text: string;
	lang: string;
}

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
	targets: string[];
	regions: { code: string; name: string }[];
	languages: { code: string; name: string }[];
	offer: ShownText;
	seek: ShownText;
	contactName: string;
	renewedAt: string;
	expiresAt: string;
}

function shown(text: LocalizedText, locale: Locale): ShownText {
	const lang = text[locale] ? locale : text.sv ? 'sv' : text.en ? 'en' : locale;
	return { text: text[lang] ?? '', lang };
}

const iso = (d: Date | string) => new Date(d).toISOString();

function publicProfile(r: ProfileRow, names: Names): PublicProfile {
	const { locale } = names;
	return {
		id: r.id,
		organization: {
			id: r.organization_id,
			slug: r.slug,
			name: pick(r.org_name, locale),
			country: r.country,
			countryName: countryName(locale, r.country),
			kind: r.kind
		},
		themes: r.themes.map((key) => ({ key, name: names.themes.get(key) ?? key })),
		goals: r.goals.map((n) => ({ number: Number(n), name: names.goals.get(Number(n)) ?? '' })),
		targets: r.targets,
		regions: r.regions.map((code) => ({ code, name: placeName(locale, code) })),
		languages: r.languages.map((code) => ({ code, name: languageName(locale, code) })),
		offer: shown(r.offer, locale),
		seek: shown(r.seek, locale),
		contactName: r.contact_name,
		renewedAt: iso(r.renewed_at),
		expiresAt: iso(r.expires_at)
	};
}

const profileColumns = sql`p.id, p.organization_id, o.slug, o.name as org_name, o.country, o.kind,
	p.themes, p.goals, p.targets, p.regions, p.languages, p.offer, p.seek, p.contact_name,
	p.renewed_at, p.expires_at`;
const visible = sql`p.status = 'active' and p.expires_at > now()`;

const anyOf = (values: readonly string[]) =>
	sql.join(
		values.map((v) => sql`${v}`),
		sql`, `
	);

/** The SQL for one listing filter (all of them must hold). */
function filterConditions(filter: ProfileFilter): SQL[] {
	const where: SQL[] = [visible];
	if (filter.theme) where.push(sql`p.themes @> jsonb_build_array(${filter.theme}::text)`);
	if (filter.target) where.push(sql`p.targets @> jsonb_build_array(${filter.target}::text)`);
	if (filter.goal) {
		// A profile works on a goal when it names the goal or one of its targets.
		where.push(sql`(p.goals @> jsonb_build_array(${filter.goal}::int)
			or exists (select 1 from jsonb_array_elements_text(p.targets) t where split_part(t, '.', 1) = ${String(filter.goal)}))`);
	}
	if (filter.location) {
		const countries = isWorldRegion(filter.location) ? countriesOfRegion(filter.location) : [filter.location];
		where.push(sql`o.country in (${anyOf(countries)})`);
	}
	if (filter.region) {
		// "Looking in Botswana" matches a profile looking in Africa too, and the other way round.
		const covering = isWorldRegion(filter.region)
			? [filter.region, ...countriesOfRegion(filter.region)]
			: [filter.region, ...regionsOfCountry(filter.region)];
		where.push(
			sql`exists (select 1 from jsonb_array_elements_text(p.regions) r where r in (${anyOf(covering)}))`
		);
	}
	if (filter.language) where.push(sql`p.languages @> jsonb_build_array(${filter.language}::text)`);
	if (filter.q) {
		const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		where.push(sql`concat_ws(' ', o.name->>'sv', o.name->>'en', p.offer->>'sv', p.offer->>'en',
			p.seek->>'sv', p.seek->>'en') ilike ${like}`);
	}
	return where;
}

export interface ProfileListing {
	filter: ProfileFilter;
	items: PublicProfile[];
	total: number;
	page: number;
	pages: number;
}

/**
 * The public listing: active, unexpired profiles, newest renewed first, filtered by the query
 * string (theme, sdg as goal or target, location, region of interest, language, q, page). A bad
 * parameter, an unknown theme or target is a ValidationError; the contact address is never read.
 */
export async function listProfiles(
	db: Database,
	locale: Locale,
	params: URLSearchParams
): Promise<ProfileListing> {
	const filter = parseProfileFilter(params);
	if (filter.theme || filter.target) {
		const known = await knownTags(db);
		const problems = [];
		if (filter.theme && !known.themes.has(filter.theme))
			problems.push({ field: 'theme', code: 'invalidTheme' as const });
		if (filter.target && !known.targets.has(filter.target))
			problems.push({ field: 'sdg', code: 'unknownTarget' as const });
		if (problems.length) throw new ValidationError(problems, 'partnerSearch');
	}
	const where = sql.join(filterConditions(filter), sql` and `);
	const [[total], found, names] = await Promise.all([
		rows<{ n: number | string }>(
			db,
			sql`select count(*) as n from partner_profile p join organization o on o.id = p.organization_id where ${where}`
		),
		rows<ProfileRow>(
			db,
			sql`select ${profileColumns} from partner_profile p join organization o on o.id = p.organization_id
				where ${where} order by p.renewed_at desc, p.id desc
				limit ${profilesPerPage} offset ${(filter.page - 1) * profilesPerPage}`
		),
		namesFor(db, locale)
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

/** One active, unexpired profile; NotFoundError otherwise (hidden and expired ones are gone for the public). */
export async function getProfile(db: Database, locale: Locale, id: number): Promise<PublicProfile> {
	const [found] = await rows<ProfileRow>(
		db,
		sql`select ${profileColumns} from partner_profile p join organization o on o.id = p.organization_id
			where p.id = ${id} and ${visible}`
	);
	if (!found) throw new NotFoundError('Profile');
	return publicProfile(found, await namesFor(db, locale));
}

// ---------------------------------------------------------------------------------------------
// The actor's organizations and their profiles.

export interface Membership {
	id: number;
	slug: string;
	name: string;
	country: string;
}

/** The organizations a user works for on the platform, by name. */
export async function membershipsOf(
	db: Database | Transaction,
	userId: string,
	locale: Locale
): Promise<Membership[]> {
	const found = await db
		.select({
			id: organization.id,
			slug: organization.slug,
			name: organization.name,
			country: organization.country
		})
		.from(organizationMember)
		.innerJoin(organization, eq(organization.id, organizationMember.organizationId))
		.where(eq(organizationMember.userId, userId));
	return found
		.map((o) => ({ ...o, name: pick(o.name, locale) }))
		.sort((a, b) => a.name.localeCompare(b.name, locale));
}

async function isMember(
	db: Database | Transaction,
	userId: string,
	organizationId: number
): Promise<boolean> {
	const [found] = await db
		.select({ id: organizationMember.organizationId })
		.from(organizationMember)
		.where(and(eq(organizationMember.userId, userId), eq(organizationMember.organizationId, organizationId)));
	return !!found;
}

/** Staff of the organization, or an editor (who may correct any profile). */
async function mayEdit(db: Database | Transaction, actor: NonNullable<Actor>, organizationId: number) {
	if (can(actor, partnerSearchPolicy.moderate)) return true;
	return isMember(db, actor.id, organizationId);
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

const inTwelveMonths = (from = new Date()) => {
	const d = new Date(from);
	d.setUTCMonth(d.getUTCMonth() + profileLifetimeMonths);
	return d;
};

/** The public listing and its caches see a profile change at once (and other instances soon). */
async function profilesChanged(tx: Transaction) {
	await bumpRevision(tx);
}

/**
 * Creates or updates an organization's profile, by its staff (or an editor). Saving renews it
 * for twelve months; a profile an editor hid stays hidden. The contact person's account, when
 * the address belongs to one of the organization's staff, is remembered for the mail's language.
 */
export async function saveProfile(
	db: Database,
	actor: Actor,
	organizationId: number,
	raw: unknown
): Promise<{ id: number; created: boolean }> {
	authorize(actor, partnerSearchPolicy.postProfile);
	if (!(await mayEdit(db, actor, organizationId)))
		throw new ValidationError([{ field: 'organization', code: 'notOrganizationMember' }], 'partnerSearch');
	const input: ProfileInput = parseProfileForm(raw, await knownTags(db));
	const result = await db.transaction(async (tx) => {
		const [org] = await tx
			.select({ id: organization.id })
			.from(organization)
			.where(eq(organization.id, organizationId));
		if (!org) throw new ValidationError([{ field: 'organization', code: 'unknownOrganization' }], 'partnerSearch');
		const [contact] = await tx
			.select({ id: user.id })
			.from(user)
			.innerJoin(organizationMember, eq(organizationMember.userId, user.id))
			.where(and(eq(organizationMember.organizationId, organizationId), eq(user.email, input.contactEmail)));
		const now = new Date();
		const values = {
			themes: input.themes,
			goals: input.goals,
			targets: input.targets,
			regions: input.regions,
			languages: input.languages,
			offer: input.offer,
			seek: input.seek,
			contactName: input.contactName,
			contactEmail: input.contactEmail,
			contactUserId: contact?.id ?? null,
			renewedAt: now,
			expiresAt: inTwelveMonths(now)
		};
		const [before] = await tx
			.select()
			.from(partnerProfile)
			.where(eq(partnerProfile.organizationId, organizationId))
			.for('update');
		let id: number;
		if (before) {
			await tx.update(partnerProfile).set(values).where(eq(partnerProfile.id, before.id));
			id = before.id;
		} else {
			const [row] = await tx
				.insert(partnerProfile)
				.values({ organizationId, ...values })
				.returning({ id: partnerProfile.id });
			id = row!.id;
		}
		await audit(tx, {
			actorId: actor.id,
			action: before ? 'partner-profile.update' : 'partner-profile.create',
			subject: `partner-profile:${id}`,
			before: before ? { ...before, contactEmail: undefined } : undefined,
			after: { ...values, contactEmail: undefined }
		});
		await profilesChanged(tx);
		return { id, created: !before };
	});
	contentChanged();
	return result;
}

/** Keeps a profile for another twelve months from now (staff of the organization, or an editor). */
export async function renewProfile(
	db: Database,
	actor: Actor,
	organizationId: number
): Promise<{ expiresAt: string }> {
	authorize(actor, partnerSearchPolicy.postProfile);
	if (!(await mayEdit(db, actor, organizationId)))
		throw new ValidationError([{ field: 'organization', code: 'notOrganizationMember' }], 'partnerSearch');
	const result = await db.transaction(async (tx) => {
		const [before] = await tx
			.select({ id: partnerProfile.id, expiresAt: partnerProfile.expiresAt })
			.from(partnerProfile)
			.where(eq(partnerProfile.organizationId, organizationId))
			.for('update');
		if (!before) throw new NotFoundError('Profile');
		const now = new Date();
		const expiresAt = inTwelveMonths(now);
		await tx
			.update(partnerProfile)
			.set({ renewedAt: now, expiresAt })
			.where(eq(partnerProfile.id, before.id));
		await audit(tx, {
			actorId: actor.id,
			action: 'partner-profile.renew',
			subject: `partner-profile:${before.id}`,
			before: { expiresAt: before.expiresAt.toISOString() },
			after: { expiresAt: expiresAt.toISOString() }
		});
		await profilesChanged(tx);
		return { expiresAt: expiresAt.toISOString() };
	});
	contentChanged();
	return result;
}

// ---------------------------------------------------------------------------------------------
// Suggestions: other profiles ranked by fit, each with its reasons.

/** What an organization is about, to match others against: its profile, or its partnerships. */
interface Basis {
	organizationId: number;
	name: string;
	country: string;
	themes: string[];
	goals: number[];
	targets: string[];
	regions: string[];
	languages: string[];
}

export interface Match {
	profile: PublicProfile;
	score: number;
	/** Why it fits, in the reader's language ("Båda arbetar med deltagande och delmål 11.3"). */
	reasons: string[];
}

export interface Suggestions {
	organization: Membership;
	/**
	 * What the suggestions are based on: the organization's profile, or (without one) its
	 * partnerships; "none" when it has neither (the page asks for a profile).
	 */
	basis: 'profile' | 'partnerships' | 'none';
	matches: Match[];
}

/** Points for each thing two profiles share (a shared target says more than a shared goal). */
const weights = { theme: 3, target: 3, goal: 2, place: 4, language: 2 } as const;

const goalOf = (target: string) => Number(target.split('.')[0]);

/** A theme's name inside a sentence: "Deltagande" → "deltagande", but "FN" stays "FN". */
function inSentence(name: string, locale: Locale): string {
	const [first = '', second = ''] = [...name];
	return second && second === second.toLocaleLowerCase(locale)
		? first.toLocaleLowerCase(locale) + name.slice(first.length)
		: name;
}

function listOf(locale: Locale, items: string[]): string {
	// British English, as the catalogue writes it: "a, b and c".
	return new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, {
		style: 'long',
		type: 'conjunction'
	}).format(items);
}

/** The place in a list that covers a country, the country itself before its region. */
function mostSpecific(places: string[], country: string): string | undefined {
	return places.find((place) => place === country) ?? places.find((place) => placeCovers(place, country));
}

/** Scores another profile against the basis and says why, in the reader's language. */
export function scoreMatch(
	mine: Basis,
	other: ProfileRow,
	names: Names
): { score: number; reasons: string[] } {
	const { locale } = names;
	const r = messages(locale).partnerSearch.reasons;
	const reasons: string[] = [];
	let score = 0;

	const themes = other.themes.filter((t) => mine.themes.includes(t));
	const targets = other.targets.filter((t) => mine.targets.includes(t));
	const covered = new Set(targets.map(goalOf));
	const goalsOf = (b: { goals: number[]; targets: string[] }) =>
		new Set([...b.goals.map(Number), ...b.targets.map(goalOf)]);
	const theirGoals = goalsOf(other);
	const goals = [...goalsOf(mine)].filter((g) => theirGoals.has(g) && !covered.has(g)).sort((a, b) => a - b);
	score += themes.length * weights.theme + targets.length * weights.target + goals.length * weights.goal;
	const shared = [
		...themes.map((t) => inSentence(names.themes.get(t) ?? t, locale)),
		...goals.map((g) => format(r.goal, { goal: g })),
		...targets.map((t) => format(r.target, { target: t }))
	];
	if (shared.length) reasons.push(format(r.sharedWork, { list: listOf(locale, shared) }));

	const orgName = pick(other.org_name, locale);
	const theySeek = mostSpecific(other.regions, mine.country);
	if (theySeek) {
		score += weights.place;
		reasons.push(format(r.theySeek, { org: orgName, place: placeName(locale, theySeek) }));
	}
	const weSeek = mostSpecific(mine.regions, other.country);
	if (weSeek) {
		score += weights.place;
		reasons.push(format(r.weSeek, { org: orgName, place: placeName(locale, weSeek) }));
	}

	const languages = other.languages.filter((l) => mine.languages.includes(l));
	if (languages.length) {
		score += languages.length * weights.language;
		reasons.push(
			format(r.languages, {
				list: listOf(
					locale,
					languages.map((l) => languageName(locale, l))
				)
			})
		);
	}
	return { score, reasons };
}

async function basisFor(db: Database, org: Membership): Promise<Basis | null> {
	const [p] = await db.select().from(partnerProfile).where(eq(partnerProfile.organizationId, org.id));
	const base = { organizationId: org.id, name: org.name, country: org.country };
	if (p)
		return {
			...base,
			themes: p.themes,
			goals: p.goals,
			targets: p.targets,
			regions: p.regions,
			languages: p.languages
		};
	// Without a profile, what the organization's partnerships work on says something too.
	const [tags] = await rows<{ themes: string[] | null; goals: number[] | null; targets: string[] | null }>(
		db,
		sql`select
			(select array_agg(distinct t.theme_key) from partnership_theme t join partnership_member m on m.partnership_id = t.partnership_id where m.organization_id = ${org.id}) as themes,
			(select array_agg(distinct g.goal) from partnership_goal g join partnership_member m on m.partnership_id = g.partnership_id where m.organization_id = ${org.id}) as goals,
			(select array_agg(distinct x.target) from partnership_target x join partnership_member m on m.partnership_id = x.partnership_id where m.organization_id = ${org.id}) as targets`
	);
	const themes = tags?.themes ?? [];
	const goals = (tags?.goals ?? []).map(Number);
	const targets = tags?.targets ?? [];
	if (!themes.length && !goals.length && !targets.length) return null;
	return { ...base, themes, goals, targets, regions: [], languages: [] };
}

/**
 * For a signed-in member: per organization they work for, the other active profiles that fit
 * best (at most `limit`), by points for shared themes, goals and targets, places each looks for a
 * partner in, and shared languages — each with the reasons in words. An organization with neither
 * a profile nor tagged partnerships gets an empty entry with the basis "none".
 */
export async function suggestedMatches(
	db: Database,
	actor: Actor,
	locale: Locale,
	limit = 5
): Promise<Suggestions[]> {
	if (!actor) return [];
	const memberships = await membershipsOf(db, actor.id, locale);
	if (!memberships.length) return [];
	const [profiles, names] = await Promise.all([
		rows<ProfileRow>(
			db,
			sql`select ${profileColumns} from partner_profile p join organization o on o.id = p.organization_id where ${visible}`
		),
		namesFor(db, locale)
	]);
	const out: Suggestions[] = [];
	for (const org of memberships.slice(0, 5)) {
		const basis = await basisFor(db, org);
		if (!basis) {
			out.push({ organization: org, basis: 'none', matches: [] });
			continue;
		}
		const hasProfile = !!(await db
			.select({ id: partnerProfile.id })
			.from(partnerProfile)
			.where(eq(partnerProfile.organizationId, org.id))
			.then((r) => r[0]));
		const matches = profiles
			.filter((p) => p.organization_id !== org.id)
			.map((p) => ({ row: p, ...scoreMatch(basis, p, names) }))
			.filter((m) => m.score > 0)
			.sort(
				(a, b) =>
					b.score - a.score ||
					pick(a.row.org_name, locale).localeCompare(pick(b.row.org_name, locale), locale)
			)
			.slice(0, limit)
			.map((m) => ({ profile: publicProfile(m.row, names), score: m.score, reasons: m.reasons }));
		out.push({ organization: org, basis: hasProfile ? 'profile' : 'partnerships', matches });
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Contact requests.

const limiters = new WeakMap<Database, { byUser: RateLimiterDrizzle; byOrganization: RateLimiterDrizzle }>();

function contactLimiters(db: Database) {
	let found = limiters.get(db);
	if (!found) {
		// The sign-in throttle's table, with keys of our own: every instance counts the same requests.
		const options = {
			storeClient: db,
			schema: signInThrottle,
			duration: contactWindowSeconds,
			clearExpiredByTimeout: false
		};
		found = {
			byUser: new RateLimiterDrizzle({ ...options, keyPrefix: 'contact-user', points: contactsPerUser }),
			byOrganization: new RateLimiterDrizzle({
				...options,
				keyPrefix: 'contact-org',
				points: contactsPerOrganization
			})
		};
		limiters.set(db, found);
	}
	return found;
}

/** Takes one request from both allowances, or throws ContactLimitError with the wait. */
async function takeContactAllowance(db: Database, userId: string, organizationId: number): Promise<void> {
	const { byUser, byOrganization } = contactLimiters(db);
	const refused = (r: unknown) => {
		if (r instanceof RateLimiterRes) return new ContactLimitError(Math.ceil(r.msBeforeNext / 1000));
		return r;
	};
	await byUser.consume(userId).catch((r) => {
		throw refused(r);
	});
	await byOrganization.consume(String(organizationId)).catch(async (r) => {
		// The person's own allowance is given back: nothing was sent.
		await byUser.reward(userId, 1).catch(() => undefined);
		throw refused(r);
	});
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The language of mail to an organization's staff: Swedish for Swedish organizations, English
 * for everyone else (accounts have no language of their own to go by yet).
 */
const mailLocale = (country: string | null | undefined): Locale => (country === 'SE' ? 'sv' : 'en');

/** What the contact form on a profile looks like for this actor. */
export interface ContactChoices {
	/** signIn: nobody signed in; notMember: works for no organization here; own: the profile is theirs only. */
	mode: 'signIn' | 'notMember' | 'own' | 'write';
	/** The organizations they may write on behalf of (theirs, not the profile's). */
	organizations: Membership[];
	/** Whether they work for the profile's organization (and so may edit it). */
	ownsProfile: boolean;
}

export async function contactChoices(
	db: Database,
	actor: Actor,
	locale: Locale,
	profileId: number
): Promise<ContactChoices> {
	if (!actor || !can(actor, partnerSearchPolicy.contact))
		return { mode: 'signIn', organizations: [], ownsProfile: false };
	const [p] = await db
		.select({ organizationId: partnerProfile.organizationId })
		.from(partnerProfile)
		.where(eq(partnerProfile.id, profileId));
	const memberships = await membershipsOf(db, actor.id, locale);
	const organizations = memberships.filter((m) => m.id !== p?.organizationId);
	const ownsProfile = organizations.length < memberships.length;
	const mode = organizations.length ? 'write' : ownsProfile ? 'own' : 'notMember';
	return { mode, organizations, ownsProfile };
}

export interface ContactOptions {
	/** The site's public origin, for the answer link. */
	origin: string;
	/** The language the sender writes in: their copy comes in it. */
	locale: Locale;
}

/**
 * Sends a contact request from a signed-in member of an organization to a profile. The profile's
 * contact person gets the sender's name, organization and text with a one-time answer link — not
 * the sender's address; the sender gets a copy without the recipient's address. At most
 * `contactsPerUser` a day per person and `contactsPerOrganization` per organization
 * (ContactLimitError); only a hash of the link's token is stored.
 */
export async function sendContactRequest(
	db: Database,
	actor: Actor,
	profileId: number,
	raw: unknown,
	options: ContactOptions
): Promise<{ id: number }> {
	authorize(actor, partnerSearchPolicy.contact);
	const input = parseContactForm(raw);
	const [profile] = await rows<ProfileRow & { contact_email: string }>(
		db,
		sql`select ${profileColumns}, p.contact_email
			from partner_profile p join organization o on o.id = p.organization_id
			where p.id = ${profileId} and ${visible}`
	);
	if (!profile) throw new NotFoundError('Profile');
	const [sender] = await db
		.select({ name: user.name, email: user.email })
		.from(user)
		.where(eq(user.id, actor.id));
	if (!sender) throw new NotFoundError('User');
	const memberships = await membershipsOf(db, actor.id, 'sv');
	const from = chooseSenderOrganization(memberships, profile.organization_id, input.organizationId);

	await takeContactAllowance(db, actor.id, from.id);

	const token = randomBytes(32).toString('base64url');
	const recipientLocale = mailLocale(profile.country);
	const senderLocale = options.locale;
	const [fromOrg] = await db
		.select({ name: organization.name, country: organization.country })
		.from(organization)
		.where(eq(organization.id, from.id));
	const id = await db.transaction(async (tx) => {
		const [row] = await tx
			.insert(contactRequest)
			.values({
				profileId,
				fromUserId: actor.id,
				fromOrganizationId: from.id,
				message: input.message,
				replyTokenHash: hashToken(token)
			})
			.returning({ id: contactRequest.id });
		await audit(tx, {
			actorId: actor.id,
			action: 'partner-contact.send',
			subject: `contact-request:${row!.id}`,
			after: { profileId, fromOrganizationId: from.id }
		});
		const m = messages(recipientLocale).partnerSearch.mail;
		// Sent inside the transaction: if the mail cannot go, no request is left waiting for an answer.
		await sendMail({
			to: profile.contact_email,
			subject: format(m.requestSubject, { org: pick(fromOrg?.name, recipientLocale) }),
			text: format(m.requestText, {
				name: profile.contact_name,
				sender: sender.name,
				org: pick(fromOrg?.name, recipientLocale),
				country: countryName(recipientLocale, fromOrg?.country ?? ''),
				message: input.message,
				url: options.origin + localizePath(recipientLocale, `/find-a-partner/answer/${token}`),
				days: answerWindowDays
			})
		});
		return row!.id;
	});
	const c = messages(senderLocale).partnerSearch.mail;
	await sendMail({
		to: sender.email,
		subject: format(c.copySubject, { org: pick(profile.org_name, senderLocale) }),
		text: format(c.copyText, {
			name: sender.name,
			org: pick(profile.org_name, senderLocale),
			message: input.message
		})
	}).catch((error) =>
		logger.warn({ err: error, request: id }, 'Could not send the copy of a contact request')
	);
	return { id };
}

function chooseSenderOrganization(
	memberships: Membership[],
	profileOrganizationId: number,
	asked: number | undefined
): Membership {
	if (!memberships.length)
		throw new ValidationError([{ field: 'organization', code: 'notOrganizationMember' }], 'partnerSearch');
	if (asked !== undefined) {
		const found = memberships.find((m) => m.id === asked);
		if (!found) throw new ValidationError([{ field: 'organization', code: 'notOrganizationMember' }], 'partnerSearch');
		if (found.id === profileOrganizationId)
			throw new ValidationError([{ field: 'organization', code: 'ownProfile' }], 'partnerSearch');
		return found;
	}
	const others = memberships.filter((m) => m.id !== profileOrganizationId);
	if (!others.length) throw new ValidationError([{ field: 'organization', code: 'ownProfile' }], 'partnerSearch');
	if (others.length > 1) throw new ValidationError([{ field: 'organization', code: 'required' }], 'partnerSearch');
	return others[0]!;
}

/** A contact request as its answer page shows it to the holder of the link. */
export interface ReceivedRequest {
	id: number;
	status: ContactStatus;
	/** The link is older than `answerWindowDays`: it can no longer answer or report. */
	expired: boolean;
	senderName: string;
	organization: { name: string; country: string; countryName: string };
	profileOrganization: string;
	message: string;
	createdAt: string;
}

interface RequestRow {
	id: number;
	status: ContactStatus;
	message: string;
	created_at: Date | string;
	sender_name: string | null;
	sender_email: string | null;
	from_name: LocalizedText | null;
	from_country: string | null;
	profile_id: number;
	profile_org: LocalizedText;
	contact_name: string;
	contact_email: string;
	profile_country: string;
}

async function requestByToken(
	db: Database | Transaction,
	token: string,
	lock = false
): Promise<RequestRow | null> {
	const [found] = await rows<RequestRow>(
		db,
		sql`select r.id, r.status, r.message, r.created_at, su.name as sender_name, su.email as sender_email,
				fo.name as from_name, fo.country as from_country,
				p.id as profile_id, po.name as profile_org, p.contact_name, p.contact_email,
				po.country as profile_country
			from contact_request r
			join partner_profile p on p.id = r.profile_id
			join organization po on po.id = p.organization_id
			left join "user" su on su.id = r.from_user_id
			left join organization fo on fo.id = r.from_organization_id
			where r.reply_token_hash = ${hashToken(token)}
			${lock ? sql`for update of r` : sql``}`
	);
	return found ?? null;
}

const linkExpired = (r: RequestRow) =>
	Date.now() - new Date(r.created_at).getTime() > answerWindowDays * 86_400_000;

/** The request behind an answer link; NotFoundError for a token that matches none. */
export async function findContactRequest(
	db: Database,
	token: string,
	locale: Locale
): Promise<ReceivedRequest> {
	const r = await requestByToken(db, token);
	if (!r) throw new NotFoundError('Contact request');
	return {
		id: r.id,
		status: r.status,
		expired: linkExpired(r),
		senderName: r.sender_name ?? messages(locale).partnerSearch.answer.formerUser,
		organization: {
			name: pick(r.from_name, locale),
			country: r.from_country ?? '',
			countryName: r.from_country ? countryName(locale, r.from_country) : ''
		},
		profileOrganization: pick(r.profile_org, locale),
		message: r.message,
		createdAt: iso(r.created_at)
	};
}

/** A request that can still be answered or reported through its link, locked for the change. */
async function openRequest(tx: Transaction, token: string): Promise<RequestRow> {
	const r = await requestByToken(tx, token, true);
	if (!r) throw new NotFoundError('Contact request');
	if (r.status !== 'sent' || linkExpired(r))
		throw new ValidationError([{ field: 'token', code: 'requestClosed' }], 'partnerSearch');
	return r;
}

/**
 * The recipient answers through the link: now, and only now, both get a mail with the other's
 * address (and the answer). The link then stops working.
 */
export async function answerContactRequest(db: Database, token: string, raw: unknown): Promise<void> {
	const { reply } = parseReplyForm(raw);
	await db.transaction(async (tx) => {
		const r = await openRequest(tx, token);
		if (!r.sender_email) throw new NotFoundError('Sender');
		await tx
			.update(contactRequest)
			.set({ status: 'answered', answeredAt: new Date() })
			.where(eq(contactRequest.id, r.id));
		await audit(tx, {
			actorId: null,
			action: 'partner-contact.answer',
			subject: `contact-request:${r.id}`,
			after: { status: 'answered' }
		});
		const recipientLocale = mailLocale(r.profile_country);
		const senderLocale = mailLocale(r.from_country);
		const toRecipient = messages(recipientLocale).partnerSearch.mail;
		const toSender = messages(senderLocale).partnerSearch.mail;
		// Both in the transaction: if either cannot go, the link still works and can be used again.
		await sendMail({
			to: r.contact_email,
			subject: format(toRecipient.answeredRecipientSubject, { org: pick(r.from_name, recipientLocale) }),
			text: format(toRecipient.answeredRecipientText, {
				name: r.contact_name,
				sender: r.sender_name ?? '',
				org: pick(r.from_name, recipientLocale),
				email: r.sender_email,
				reply
			})
		});
		await sendMail({
			to: r.sender_email,
			subject: format(toSender.answeredSenderSubject, { org: pick(r.profile_org, senderLocale) }),
			text: format(toSender.answeredSenderText, {
				name: r.sender_name ?? '',
				contact: r.contact_name,
				org: pick(r.profile_org, senderLocale),
				email: r.contact_email,
				reply
			})
		});
	});
}

/**
 * The recipient reports the request to the editors through the same link, instead of answering:
 * it is listed on the moderation page (with the sender, who can be traced) and written to the
 * audit log. The sender's address stays hidden from the recipient.
 */
export async function reportContactRequest(db: Database, token: string, raw: unknown): Promise<void> {
	const { reason } = parseReportForm(raw);
	await db.transaction(async (tx) => {
		const r = await openRequest(tx, token);
		await tx
			.update(contactRequest)
			.set({ status: 'reported', reportReason: reason, reportedAt: new Date() })
			.where(eq(contactRequest.id, r.id));
		await audit(tx, {
			actorId: null,
			action: 'partner-contact.report',
			subject: `contact-request:${r.id}`,
			after: { status: 'reported', reason }
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Moderation (editors).

export interface ModeratedProfile {
	id: number;
	organization: string;
	country: string;
	status: ProfileStatus;
	expired: boolean;
	moderationNote: string | null;
	contactName: string;
	contactEmail: string;
	renewedAt: string;
	expiresAt: string;
	offer: ShownText;
	seek: ShownText;
	/** Contact requests it has received, and how many of them were reported. */
	requests: number;
	reported: number;
}

/** Every profile, hidden and expired too, for editors: newest renewed first. */
export async function listProfilesForModeration(
	db: Database,
	actor: Actor,
	locale: Locale
): Promise<ModeratedProfile[]> {
	authorize(actor, partnerSearchPolicy.moderate);
	const found = await rows<{
		id: number;
		org_name: LocalizedText;
		country: string;
		status: ProfileStatus;
		moderation_note: string | null;
		contact_name: string;
		contact_email: string;
		renewed_at: Date | string;
		expires_at: Date | string;
		offer: LocalizedText;
		seek: LocalizedText;
		requests: number | string;
		reported: number | string;
	}>(
		db,
		sql`select p.id, o.name as org_name, o.country, p.status, p.moderation_note, p.contact_name,
				p.contact_email, p.renewed_at, p.expires_at, p.offer, p.seek,
				(select count(*) from contact_request r where r.profile_id = p.id) as requests,
				(select count(*) from contact_request r where r.profile_id = p.id and r.status = 'reported') as reported
			from partner_profile p join organization o on o.id = p.organization_id
			order by p.renewed_at desc, p.id desc`
	);
	return found.map((p) => ({
		id: p.id,
		organization: pick(p.org_name, locale),
		country: p.country,
		status: p.status,
		expired: new Date(p.expires_at).getTime() <= Date.now(),
		moderationNote: p.moderation_note,
		contactName: p.contact_name,
		contactEmail: p.contact_email,
		renewedAt: iso(p.renewed_at),
		expiresAt: iso(p.expires_at),
		offer: shown(p.offer, locale),
		seek: shown(p.seek, locale),
		requests: Number(p.requests),
		reported: Number(p.reported)
	}));
}

async function setProfileStatus(
	db: Database,
	actor: Actor,
	raw: unknown,
	status: ProfileStatus
): Promise<void> {
	authorize(actor, partnerSearchPolicy.moderate);
	const { profileId, note } = parseModerationForm(raw);
	await db.transaction(async (tx) => {
		const [before] = await tx
			.select({ status: partnerProfile.status, moderationNote: partnerProfile.moderationNote })
			.from(partnerProfile)
			.where(eq(partnerProfile.id, profileId))
			.for('update');
		if (!before) throw new NotFoundError('Profile');
		const after = { status, moderationNote: note || null };
		await tx.update(partnerProfile).set(after).where(eq(partnerProfile.id, profileId));
		await audit(tx, {
			actorId: actor.id,
			action: status === 'hidden' ? 'partner-profile.hide' : 'partner-profile.show',
			subject: `partner-profile:${profileId}`,
			before,
			after
		});
		await profilesChanged(tx);
	});
	contentChanged();
}

/** An editor hides a profile from the listing, with a note the organization sees. */
export function hideProfile(db: Database, actor: Actor, raw: unknown): Promise<void> {
	return setProfileStatus(db, actor, raw, 'hidden');
}

/** An editor shows a hidden profile again (the note may be cleared or kept). */
export function showProfile(db: Database, actor: Actor, raw: unknown): Promise<void> {
	return setProfileStatus(db, actor, raw, 'active');
}

export interface ReportedRequest {
	id: number;
	reportedAt: string;
	createdAt: string;
	reason: string;
	message: string;
	sender: { name: string; email: string } | null;
	fromOrganization: string;
	toOrganization: string;
	profileId: number;
}

/** Reported contact requests, newest first, with the sender (editors may see who wrote). */
export async function listReported(db: Database, actor: Actor, locale: Locale): Promise<ReportedRequest[]> {
	authorize(actor, partnerSearchPolicy.moderate);
	const found = await rows<{
		id: number;
		reported_at: Date | string | null;
		created_at: Date | string;
		report_reason: string | null;
		message: string;
		sender_name: string | null;
		sender_email: string | null;
		from_name: LocalizedText | null;
		to_name: LocalizedText;
		profile_id: number;
	}>(
		db,
		sql`select r.id, r.reported_at, r.created_at, r.report_reason, r.message, u.name as sender_name,
				u.email as sender_email, fo.name as from_name, po.name as to_name, p.id as profile_id
			from contact_request r
			join partner_profile p on p.id = r.profile_id
			join organization po on po.id = p.organization_id
			left join organization fo on fo.id = r.from_organization_id
			left join "user" u on u.id = r.from_user_id
			where r.status = 'reported'
			order by r.reported_at desc nulls last, r.id desc
			limit 200`
	);
	return found.map((r) => ({
		id: r.id,
		reportedAt: iso(r.reported_at ?? r.created_at),
		createdAt: iso(r.created_at),
		reason: r.report_reason ?? '',
		message: r.message,
		sender: r.sender_name && r.sender_email ? { name: r.sender_name, email: r.sender_email } : null,
		fromOrganization: pick(r.from_name, locale),
		toOrganization: pick(r.to_name, locale),
		profileId: r.profile_id
	}));
}

// ---------------------------------------------------------------------------------------------
// Demo data.

interface DemoProfileFile {
	organization: string;
	/** An organization the demo invents (marked as an example in its name), created if missing. */
	newOrganization?: {
		kind: 'municipality';
		name: LocalizedText;
		country: string;
		lat: number | null;
		lon: number | null;
	};
	themes: string[];
	goals: number[];
	targets: string[];
	regions: string[];
	languages: string[];
	offer: LocalizedText;
	seek: LocalizedText;
	contactName: string;
	contactEmail: string;
}

/**
 * The example profiles in data/demo/partner-profiles.json, only into a database without any
 * profile (so that a real one is never overwritten, and a deleted example does not come back).
 * Organizations the file names must exist, except the invented one it creates. Returns whether
 * it loaded them.
 */
export async function seedDemoProfiles(db: Database): Promise<boolean> {
	const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(partnerProfile);
	if (Number(n) > 0) return false;
	const file = readDataFile<{ profiles: DemoProfileFile[] }>('demo', 'partner-profiles.json');
	await db.transaction(async (tx) => {
		for (const p of file.profiles) {
			if (p.newOrganization) {
				await tx
					.insert(organization)
					.values({ slug: p.organization, ...p.newOrganization })
					.onConflictDoNothing({ target: organization.slug });
			}
			const [org] = await tx
				.select({ id: organization.id })
				.from(organization)
				.where(eq(organization.slug, p.organization));
			if (!org) continue;
			const now = new Date();
			await tx
				.insert(partnerProfile)
				.values({
					organizationId: org.id,
					themes: p.themes,
					goals: p.goals,
					targets: p.targets,
					regions: p.regions,
					languages: p.languages,
					offer: p.offer,
					seek: p.seek,
					contactName: p.contactName,
					contactEmail: p.contactEmail,
					renewedAt: now,
					expiresAt: inTwelveMonths(now)
				})
				.onConflictDoNothing({ target: partnerProfile.organizationId });
		}
		await bumpRevision(tx);
	});
	contentChanged();
	return true;
}
