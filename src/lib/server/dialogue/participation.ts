import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../kernel/database.ts';
import { can, type Actor } from '../kernel/policy.ts';
import { subquery } from '../kernel/sql.ts';
import { user } from '../accounts/schema.ts';
import { partnershipMember } from '../partnerships/schema.ts';
import {
	dialogueBlock,
	dialogueSpace,
	residentVerification,
	type InputKind,
	type Requirements,
	type SpaceStatus
} from './schema.ts';
import { dialoguePolicy } from './policy.ts';

// The one gate of citizen dialogue: may this person give this kind of input in this space now?
// Proposals, supports, comments and flags all ask here, so that "open", "verified residents only"
// and "blocked" mean the same everywhere. Read in one query.

type Reader = Database | Transaction;

/** Why someone may not take part, in the order they are asked. */
export const refusals = [
	'signIn',
	'spaceClosed',
	'notOpen',
	'blocked',
	'unverifiedEmail',
	'residentsOnly'
] as const;
export type Refusal = (typeof refusals)[number];

/** What the gate needs to know of a space (its open phases read by the caller, for today). */
export interface GateSpace {
	id: number;
	slug: string;
	status: SpaceStatus;
	requirements: Requirements;
	/** The kinds of input the phases running today open. */
	opens: readonly InputKind[];
}

/** Flags are not a phase's input: they need an account in good standing, nothing more. */
export type ParticipationKind = InputKind | 'flags';

export type Gate =
	| { ok: true }
	| { ok: false; reason: Exclude<Refusal, 'residentsOnly'> }
	/** `verifyAt`: the page where the participant proves they live in the space's municipality. */
	| { ok: false; reason: 'residentsOnly'; verifyAt: string };

/** Where a participant verifies as a resident for this space. */
export const verifyAddress = (slug: string) => `/dialogue/verify?space=${encodeURIComponent(slug)}`;

/**
 * The organizations whose verified residents a space admits: its owning organization, or for a
 * partnership's space each of the partnership's Swedish members.
 */
export const residentOrganizations = (spaceId: SQL | number) => {
	// An alias of its own: inside a query on dialogue_space, `spaceId` may be that query's column.
	const owner = alias(dialogueSpace, 'resident_space');
	const from = sql`${dialogueSpace} ${sql.identifier('resident_space')}`;
	return sql`(
	select ${owner.organizationId} from ${from}
		where ${owner.id} = ${spaceId} and ${owner.organizationId} is not null
	union
	select ${partnershipMember.organizationId} from ${partnershipMember}
		join ${from} on ${owner.partnershipId} = ${partnershipMember.partnershipId}
		where ${owner.id} = ${spaceId} and ${partnershipMember.role} = 'swedish')`;
};

/** What the gate knows of a participant in a space: blocked, address verified, verified resident. */
export interface Standing {
	emailVerified: boolean;
	blocked: boolean;
	resident: boolean;
}

/**
 * The participant's standing in the space as select fields, for a query that reads the space
 * anyway (the comment thread reads it with its space in one query). `spaceId` may be a column.
 */
export function standingFields(actorId: string, spaceId: SQL | number) {
	return {
		standingEmailVerified: subquery<boolean | null>(
			sql`select ${user.emailVerified} from ${user} where ${user.id} = ${actorId}`
		),
		standingBlocked: subquery<boolean>(
			sql`select exists (select 1 from ${dialogueBlock} where ${dialogueBlock.userId} = ${actorId}
				and (${dialogueBlock.spaceId} = ${spaceId} or ${dialogueBlock.spaceId} is null))`
		),
		standingResident: subquery<boolean>(
			sql`select exists (select 1 from ${residentVerification}
				where ${residentVerification.userId} = ${actorId}
				and ${residentVerification.organizationId} in ${residentOrganizations(spaceId)})`
		)
	};
}

/** The standing from the fields `standingFields` read. */
export const standingOf = (row: {
	standingEmailVerified: boolean | null;
	standingBlocked: boolean;
	standingResident: boolean;
}): Standing => ({
	emailVerified: Boolean(row.standingEmailVerified),
	blocked: Boolean(row.standingBlocked),
	resident: Boolean(row.standingResident)
});

async function standing(db: Reader, actorId: string, spaceId: number): Promise<Standing> {
	const [row] = await db.select(standingFields(actorId, spaceId)).from(sql`(select 1) as one`);
	return standingOf(row!);
}

/**
 * The gate's decision once the standing is known (null: signed out, or not asked yet). Pure:
 * `mayTakePart` and the comment thread's one query both end here.
 */
export function decide(
	actor: Actor,
	space: GateSpace | { id: number },
	kind: ParticipationKind,
	who: Standing | null
): Gate {
	if (!actor || !can(actor, dialoguePolicy.participate) || !who) return { ok: false, reason: 'signIn' };
	const inSpace = kind !== 'flags' && 'status' in space ? space : null;
	if (inSpace && kind !== 'flags') {
		if (inSpace.status !== 'open') return { ok: false, reason: 'spaceClosed' };
		if (!inSpace.opens.includes(kind)) return { ok: false, reason: 'notOpen' };
	}
	if (who.blocked) return { ok: false, reason: 'blocked' };
	if (!who.emailVerified) return { ok: false, reason: 'unverifiedEmail' };
	if (inSpace && kind !== 'flags' && inSpace.requirements[kind] === 'verified-resident' && !who.resident) {
		return { ok: false, reason: 'residentsOnly', verifyAt: verifyAddress(inSpace.slug) };
	}
	return { ok: true };
}

/**
 * May the actor give this kind of input in the space now? Signed out (or without the right to
 * take part), the space not open, no phase today opening the kind, blocked here or everywhere,
 * an unverified address, or the space asking for verified residents of its municipality (with
 * where to verify). Flags ask only for a signed-in participant in good standing.
 */
export async function mayTakePart(db: Reader, actor: Actor, space: GateSpace, kind: InputKind): Promise<Gate>;
export async function mayTakePart(
	db: Reader,
	actor: Actor,
	space: { id: number },
	kind: 'flags'
): Promise<Gate>;
export async function mayTakePart(
	db: Reader,
	actor: Actor,
	space: GateSpace | { id: number },
	kind: ParticipationKind
): Promise<Gate> {
	if (!actor || !can(actor, dialoguePolicy.participate)) return decide(actor, space, kind, null);
	// Refusals that need no query come first.
	const early = decide(actor, space, kind, { emailVerified: true, blocked: false, resident: true });
	if (!early.ok && (early.reason === 'spaceClosed' || early.reason === 'notOpen')) return early;
	return decide(actor, space, kind, await standing(db, actor.id, space.id));
}

/** The reason alone (null when the actor may), for pages that only show it. */
export async function refusalOf(
	db: Reader,
	actor: Actor,
	space: GateSpace,
	kind: InputKind
): Promise<Refusal | null> {
	const gate = await mayTakePart(db, actor, space, kind);
	return gate.ok ? null : gate.reason;
}
