import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { authorizeOn, can, type Actor } from '../../kernel/policy.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { user } from '../../accounts/schema.ts';
import { organization, organizationMember } from '../../organizations/schema.ts';
import {
	partnership,
	partnershipAccess,
	partnershipName,
	partnershipNames
} from '../../partnerships/schema.ts';
import { locales } from '#lib/i18n/locales.ts';
import { inputKinds } from '#lib/dialogue-values.ts';
import {
	dialogueGoal,
	dialoguePhase,
	dialogueSpace,
	dialogueTarget,
	dialogueTeam,
	dialogueTheme
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import type { SpaceFormValues, SpaceOwner } from './input.ts';
import { readSpace } from './queries.ts';

/** What the space form offers: the owners one may choose, and the owner's people for the team. */

export interface OwnerOption {
	/** `organization:<id>` or `partnership:<id>`, as the form posts it. */
	value: string;
	label: string;
}

/**
 * The owners a person may open a space for: editors any organization or partnership; others the
 * organizations they work for and the partnerships they coordinate. Empty: they may open none.
 */
export async function ownerOptions(db: Database, actor: Actor, locale: string): Promise<OwnerOption[]> {
	if (!actor) return [];
	const any = can(actor, dialoguePolicy.runSpace);
	const [orgs, partnerships] = await Promise.all([
		any
			? db.select({ id: organization.id, name: organization.name }).from(organization)
			: db
					.select({ id: organization.id, name: organization.name })
					.from(organization)
					.innerJoin(organizationMember, eq(organizationMember.organizationId, organization.id))
					.where(eq(organizationMember.userId, actor.id)),
		any
			? db.select({ id: partnership.id, names: partnershipNames }).from(partnership)
			: db
					.select({ id: partnership.id, names: partnershipNames })
					.from(partnership)
					.innerJoin(partnershipAccess, eq(partnershipAccess.partnershipId, partnership.id))
					.where(and(eq(partnershipAccess.userId, actor.id), eq(partnershipAccess.role, 'coordinator')))
	]);
	const byLabel = (a: OwnerOption, b: OwnerOption) => a.label.localeCompare(b.label, locale);
	return [
		...partnerships
			.map((p) => ({
				value: `partnership:${p.id}`,
				label: partnershipName(p.names, locale)
			}))
			.sort(byLabel),
		...orgs.map((o) => ({ value: `organization:${o.id}`, label: pick(o.name, locale) })).sort(byLabel)
	];
}

/**
 * The people a space's team is chosen from: the staff of the owning organization, or everyone in
 * the owning partnership's space (coordinators and members), by name.
 */
export async function ownerPeople(
	db: Database | Transaction,
	owner: SpaceOwner
): Promise<{ id: string; name: string }[]> {
	const ids =
		'organizationId' in owner
			? db
					.select({ id: organizationMember.userId })
					.from(organizationMember)
					.where(eq(organizationMember.organizationId, owner.organizationId))
			: db
					.select({ id: partnershipAccess.userId })
					.from(partnershipAccess)
					.where(eq(partnershipAccess.partnershipId, owner.partnershipId));
	return db
		.select({ id: user.id, name: user.name })
		.from(user)
		.where(inArray(user.id, ids))
		.orderBy(asc(user.name), asc(user.id));
}

export interface SpaceForEditing {
	id: number;
	slug: string;
	/** Who owns it, as shown (the owner is chosen once, when the space is made). */
	ownerLabel: string;
	people: { id: string; name: string }[];
	values: SpaceFormValues;
}

/** The form filled with a space as it is now, for whoever may run it (404, 403 or 401 otherwise). */
export async function spaceForEditing(
	db: Database,
	actor: Actor,
	slug: string,
	locale: string
): Promise<SpaceForEditing> {
	if (!actor) throw new ForbiddenError(true);
	const found = await readSpace(db, { slug });
	const id = found.id;
	await authorizeOn(actor, dialoguePolicy.runSpace, found.actors);
	const [[s], phases, themes, goals, targets, team] = await Promise.all([
		db
			.select({
				space: dialogueSpace,
				orgName: organization.name,
				names: partnershipNames
			})
			.from(dialogueSpace)
			.leftJoin(organization, eq(organization.id, dialogueSpace.organizationId))
			.leftJoin(partnership, eq(partnership.id, dialogueSpace.partnershipId))
			.where(eq(dialogueSpace.id, id)),
		db.select().from(dialoguePhase).where(eq(dialoguePhase.spaceId, id)).orderBy(asc(dialoguePhase.position)),
		db.select({ key: dialogueTheme.themeKey }).from(dialogueTheme).where(eq(dialogueTheme.spaceId, id)),
		db.select({ goal: dialogueGoal.goal }).from(dialogueGoal).where(eq(dialogueGoal.spaceId, id)),
		db.select({ target: dialogueTarget.target }).from(dialogueTarget).where(eq(dialogueTarget.spaceId, id)),
		db.select().from(dialogueTeam).where(eq(dialogueTeam.spaceId, id))
	]);
	const space = s!.space;
	const owner: SpaceOwner =
		space.organizationId !== null
			? { organizationId: space.organizationId }
			: { partnershipId: space.partnershipId! };
	const text = (t: LocalizedText) => Object.fromEntries(locales.map((l) => [l, t[l] ?? '']));
	return {
		id,
		slug: space.slug,
		ownerLabel: s!.orgName ? pick(s!.orgName, locale) : partnershipName(s!.names, locale),
		people: await ownerPeople(db, owner),
		values: {
			owner:
				'organizationId' in owner
					? `organization:${owner.organizationId}`
					: `partnership:${owner.partnershipId}`,
			title: text(space.title) as SpaceFormValues['title'],
			description: text(space.description) as SpaceFormValues['description'],
			languages: space.languages,
			level: space.participationLevel,
			status: space.status,
			moderation: space.moderation,
			requirements: Object.fromEntries(
				inputKinds.map((k) => [k, space.requirements[k]])
			) as SpaceFormValues['requirements'],
			supportThreshold: String(space.supportThreshold),
			supportWindowDays: String(space.supportWindowDays),
			answerDays: String(space.answerDays),
			flagsToHide: String(space.flagsToHide),
			phases: phases.map((p) => ({ kind: p.kind, from: p.startsOn, to: p.endsOn, opens: p.opens })),
			themes: themes.map((t) => t.key),
			goals: goals.map((g) => String(g.goal)),
			targets: targets.map((t) => t.target),
			moderators: team.filter((t) => t.role === 'moderator').map((t) => t.userId),
			answerers: team.filter((t) => t.role === 'answerer').map((t) => t.userId),
			version: space.updatedAt.toISOString()
		}
	};
}
