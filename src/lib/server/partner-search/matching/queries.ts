import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import { pick } from '../../kernel/localized.ts';
import { organization } from '../../organizations/schema.ts';
import {
	partnershipGoal,
	partnershipMember,
	partnershipTarget,
	partnershipTheme
} from '../../partnerships/schema.ts';
import { partnerProfile } from '../schema.ts';
import { membershipsOf, type Membership } from '../memberships.ts';
import type { Names } from '../names.ts';
import { publicProfile, visibleProfiles, type PublicProfile } from '../profiles/queries.ts';
import { onOtherSides, scoreMatch, type Basis } from './score.ts';

// Suggestions: for each organization a person works for, the other profiles that fit best.

/** One suggested profile, how well it fits and why. */
export interface Match {
	profile: PublicProfile;
	score: number;
	/** Why it fits, in the reader's language ("Båda arbetar med deltagande och delmål 11.3"). */
	reasons: string[];
}

/** The suggestions for one of the person's organizations. */
export interface Suggestions {
	organization: Membership;
	/**
	 * What the suggestions are based on: the organization's profile, or (without one) its
	 * partnerships; "none" when it has neither (the page asks for a profile).
	 */
	basis: 'profile' | 'partnerships' | 'none';
	matches: Match[];
}

/** Organizations a person's suggestions are shown for, at most. */
const organizationsShown = 5;

/** What the organizations' partnerships work on, for those without a profile (one read for all). */
function partnershipTags(db: Database, organizationIds: number[]) {
	const inPartnershipsOf = (
		table: typeof partnershipTheme | typeof partnershipGoal | typeof partnershipTarget
	) =>
		sql`from ${table} join ${partnershipMember} on ${partnershipMember.partnershipId} = ${table.partnershipId}
			where ${partnershipMember.organizationId} = ${organization.id}`;
	return db
		.select({
			organizationId: organization.id,
			themes: sql<
				string[] | null
			>`(select array_agg(distinct ${partnershipTheme.themeKey}) ${inPartnershipsOf(partnershipTheme)})`,
			goals: sql<
				number[] | null
			>`(select array_agg(distinct ${partnershipGoal.goal}) ${inPartnershipsOf(partnershipGoal)})`,
			targets: sql<
				string[] | null
			>`(select array_agg(distinct ${partnershipTarget.target}) ${inPartnershipsOf(partnershipTarget)})`
		})
		.from(organization)
		.where(inArray(organization.id, organizationIds));
}

/**
 * What each organization is about: its profile (hidden or expired too: it is still what they
 * said), else the themes, goals and targets of its partnerships; null when it has neither.
 */
async function basesFor(db: Database, organizations: Membership[]) {
	const ids = organizations.map((o) => o.id);
	const profiles = await db
		.select({
			organizationId: partnerProfile.organizationId,
			themes: partnerProfile.themes,
			goals: partnerProfile.goals,
			targets: partnerProfile.targets,
			regions: partnerProfile.regions,
			languages: partnerProfile.languages
		})
		.from(partnerProfile)
		.where(inArray(partnerProfile.organizationId, ids));
	const withProfile = new Map(profiles.map((p) => [p.organizationId, p]));
	const without = ids.filter((id) => !withProfile.has(id));
	const tags = new Map(
		(without.length ? await partnershipTags(db, without) : []).map((t) => [t.organizationId, t])
	);
	return new Map(
		organizations.map((org): [number, { basis: Basis; from: 'profile' | 'partnerships' } | null] => {
			const p = withProfile.get(org.id);
			if (p) return [org.id, { basis: { country: org.country, ...p }, from: 'profile' }];
			const t = tags.get(org.id);
			const themes = t?.themes ?? [];
			const goals = (t?.goals ?? []).map(Number);
			const targets = t?.targets ?? [];
			if (!themes.length && !goals.length && !targets.length) return [org.id, null];
			return [
				org.id,
				{
					basis: { country: org.country, themes, goals, targets, regions: [], languages: [] },
					from: 'partnerships'
				}
			];
		})
	);
}

/**
 * For a signed-in member: per organization they work for, the active profiles on the other side
 * (abroad for a Swedish organization, Swedish for one abroad) that fit best (at most `limit`), by
 * points for shared themes, goals and targets, places each looks for a partner in, and shared
 * languages — each with the reasons in words. An organization with neither
 * a profile nor tagged partnerships gets an empty entry with the basis "none". The names are the
 * page's (read once); every profile is read once.
 */
export async function suggestedMatches(
	db: Database,
	actor: Actor,
	names: Names,
	limit = 5
): Promise<Suggestions[]> {
	if (!actor) return [];
	const { locale } = names;
	const memberships = (await membershipsOf(db, actor.id, locale)).slice(0, organizationsShown);
	if (!memberships.length) return [];
	const [candidates, bases] = await Promise.all([visibleProfiles(db), basesFor(db, memberships)]);
	const named = candidates.map((row) => ({ row, name: pick(row.orgName, locale) }));
	const themeName = (key: string) => names.themeName.get(key) ?? key;
	const targetTitle = (code: string) => names.targetName.get(code);
	return memberships.map((org) => {
		const found = bases.get(org.id);
		if (!found) return { organization: org, basis: 'none', matches: [] };
		const matches = named
			.filter((c) => c.row.organizationId !== org.id && onOtherSides(org.country, c.row.country))
			.map((c) => ({
				...c,
				...scoreMatch(found.basis, { ...c.row, name: c.name }, locale, themeName, targetTitle)
			}))
			.filter((m) => m.score > 0)
			.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, locale))
			.slice(0, limit)
			.map((m) => ({ profile: publicProfile(m.row, names), score: m.score, reasons: m.reasons }));
		return { organization: org, basis: found.from, matches };
	});
}
