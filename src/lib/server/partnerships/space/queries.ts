import { and, count, desc, eq, gt } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { authorizeOn, can, type Actor } from '../../kernel/policy.ts';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';
import { locales, type Locale } from '#lib/i18n/locales.ts';
import { leadImageChoices, type LeadImageChoice } from '#lib/media-urls.ts';
import {
	partnership,
	partnershipAccess,
	partnershipDocument,
	partnershipGoal,
	partnershipMember,
	partnershipName,
	partnershipNames,
	partnershipPhase,
	partnershipTarget,
	partnershipTeamMember,
	partnershipTheme,
	type PartnershipPhase,
	type SpaceRole
} from '../schema.ts';
import type { PartnershipFormValues } from '../input.ts';
import { partnershipsPolicy } from '../policy.ts';

// ---------------------------------------------------------------------------------------------
// The partnership's form: who may open it, and what it is filled with

/** A partnership's id by its address; not found is a 404. */
export async function partnershipIdOf(db: Database | Transaction, slug: string): Promise<number> {
	const [row] = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.slug, slug));
	if (!row) throw new NotFoundError('partnership');
	return row.id;
}

/**
 * The partnership by its address, once the actor may edit it (an editor, or its coordinator):
 * its id; a 404 if there is none, a 403 (401 signed out) if they may not.
 */
export async function partnershipToEdit(
	db: Database | Transaction,
	actor: Actor,
	slug: string
): Promise<number> {
	const id = await partnershipIdOf(db, slug);
	await authorizeOn(actor, partnershipsPolicy.edit, { db, id });
	return id;
}

/** The form filled with a partnership as it is now, for someone allowed to edit it. */
export async function partnershipForEditing(
	db: Database,
	actor: Actor,
	slug: string
): Promise<{ id: number; slug: string; values: PartnershipFormValues; canChangeMembers: boolean }> {
	const id = await partnershipToEdit(db, actor, slug);
	const [[p], members, themes, goals, targets, phases, team] = await Promise.all([
		db.select().from(partnership).where(eq(partnership.id, id)),
		db.select().from(partnershipMember).where(eq(partnershipMember.partnershipId, id)),
		db.select().from(partnershipTheme).where(eq(partnershipTheme.partnershipId, id)),
		db.select().from(partnershipGoal).where(eq(partnershipGoal.partnershipId, id)),
		db.select().from(partnershipTarget).where(eq(partnershipTarget.partnershipId, id)),
		db.select().from(partnershipPhase).where(eq(partnershipPhase.partnershipId, id)),
		db
			.select()
			.from(partnershipTeamMember)
			.where(eq(partnershipTeamMember.partnershipId, id))
			.orderBy(partnershipTeamMember.side, partnershipTeamMember.position)
	]);
	const phase = (name: PartnershipPhase) => {
		const found = phases.find((x) => x.phase === name);
		return { from: found ? String(found.fromYear) : '', to: found?.toYear ? String(found.toYear) : '' };
	};
	const perLocale = (text: Partial<Record<string, string>>) =>
		Object.fromEntries(locales.map((l) => [l, text[l] ?? ''])) as Record<Locale, string>;
	return {
		id,
		slug: p!.slug,
		canChangeMembers: can(actor, partnershipsPolicy.changeMembers),
		values: {
			status: p!.status,
			swedish: members.filter((x) => x.role === 'swedish').map((x) => String(x.organizationId)),
			international: members.filter((x) => x.role === 'international').map((x) => String(x.organizationId)),
			themes: themes.map((t) => t.themeKey),
			goals: goals.map((g) => String(g.goal)),
			targets: targets.map((t) => t.target),
			summary: perLocale(p!.summary),
			description: perLocale(p!.description),
			phases: { inception: phase('inception'), active: phase('active'), completed: phase('completed') },
			team: team.map((t) => ({ side: t.side, role: t.role, name: t.name, title: perLocale(t.title) })),
			leadImageId: p!.leadImageId ? String(p!.leadImageId) : '',
			version: p!.updatedAt.toISOString()
		}
	};
}

// ---------------------------------------------------------------------------------------------
// Its people and documents

/** Who is in a partnership's space, and its documents: for someone who may edit it. */
export interface PartnershipSpace {
	/** Its people by address; their accounts' names only for those who may see them (else ''). */
	access: { userId: string; name: string; email: string; role: SpaceRole }[];
	documents: { mediaId: number; fileName: string; title: string }[];
}

/**
 * The space of a partnership (by id, as `partnershipToEdit` gave it once the actor was allowed):
 * its members with their roles, and its documents with their titles in the reader's language.
 * A coordinator sees its people by address only: an invitation by address must not tell them
 * whose account the address is (`partnershipsPolicy.seeMemberNames`).
 */
export async function partnershipSpace(
	db: Database,
	actor: Actor,
	id: number,
	locale: Locale
): Promise<PartnershipSpace> {
	const names = can(actor, partnershipsPolicy.seeMemberNames);
	const [access, documents] = await Promise.all([
		db
			.select({ userId: user.id, name: user.name, email: user.email, role: partnershipAccess.role })
			.from(partnershipAccess)
			.innerJoin(user, eq(user.id, partnershipAccess.userId))
			.where(eq(partnershipAccess.partnershipId, id)),
		db
			.select({ mediaId: media.id, fileName: media.fileName, title: partnershipDocument.title })
			.from(partnershipDocument)
			.innerJoin(media, eq(media.id, partnershipDocument.mediaId))
			.where(eq(partnershipDocument.partnershipId, id))
			.orderBy(partnershipDocument.position)
	]);
	return {
		access: access.map((a) => ({ ...a, name: names ? a.name : '' })),
		documents: documents.map((d) => ({
			mediaId: d.mediaId,
			fileName: d.fileName,
			title: d.title[locale] ?? d.fileName
		}))
	};
}

/** The PDFs in the media library staff can attach (newest 200); none for anyone else. */
export async function documentOptions(
	db: Database,
	actor: Actor
): Promise<{ id: number; fileName: string }[]> {
	if (!can(actor, partnershipsPolicy.attachFromLibrary)) return [];
	return db
		.select({ id: media.id, fileName: media.fileName })
		.from(media)
		.where(and(eq(media.kind, 'document'), eq(media.origin, 'library')))
		.orderBy(desc(media.createdAt))
		.limit(200);
}

/** The account with this address, if there is one (an invitation then only lets them in). */
export async function accountByEmail(
	db: Database | Transaction,
	email: string
): Promise<{ id: string; locale: string | null } | null> {
	const [found] = await db
		.select({ id: user.id, locale: user.locale })
		.from(user)
		.where(eq(user.email, email));
	return found ?? null;
}

/**
 * How many invitations into partnerships someone has sent since a moment, to new and existing
 * addresses alike (from the audit log).
 */
export async function invitationsSince(
	db: Database | Transaction,
	actorId: string,
	since: Date
): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(auditLog)
		.where(
			and(eq(auditLog.actorId, actorId), eq(auditLog.action, 'partnership.invite'), gt(auditLog.at, since))
		);
	return row?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// A person's own partnerships, for their account page

export interface OwnPartnership {
	slug: string;
	/** Its organizations, the Swedish side first ("Ale kommun – Ghanzi District Council"). */
	name: string;
	role: SpaceRole;
}

/** The partnerships a person takes part in (those they coordinate first), in one statement. */
export async function ownPartnerships(
	db: Database | Transaction,
	userId: string,
	locale: Locale
): Promise<OwnPartnership[]> {
	const rows = await db
		.select({ slug: partnership.slug, role: partnershipAccess.role, names: partnershipNames })
		.from(partnershipAccess)
		.innerJoin(partnership, eq(partnership.id, partnershipAccess.partnershipId))
		.where(eq(partnershipAccess.userId, userId));
	return rows
		.map((r) => ({ slug: r.slug, role: r.role, name: partnershipName(r.names, locale) }))
		.sort(
			(a, b) =>
				Number(a.role !== 'coordinator') - Number(b.role !== 'coordinator') ||
				a.name.localeCompare(b.name, locale)
		);
}

/** The library's pictures that may lead a partnership's page (the newest 48 with a description). */
export async function leadImageOptions(db: Database): Promise<LeadImageChoice[]> {
	const files = await db
		.select({
			id: media.id,
			kind: media.kind,
			key: media.storageKey,
			alt: media.alt,
			variants: media.variants
		})
		.from(media)
		.where(and(eq(media.kind, 'image'), eq(media.origin, 'library')))
		.orderBy(desc(media.createdAt), desc(media.id))
		.limit(200);
	return leadImageChoices(files);
}
