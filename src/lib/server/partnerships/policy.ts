import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { editors, rules, signedIn, staff, type Actor } from '../kernel/policy.ts';
import { partnershipAccess } from './schema.ts';

/** The partnership a rule is asked about, and where to look up who coordinates it. */
export interface PartnershipRef {
	db: Database | Transaction;
	id: number;
}

/** Whether the person is a coordinator of this partnership (a role on it, not a global one). */
async function coordinates(actor: NonNullable<Actor>, p: PartnershipRef): Promise<boolean> {
	const [row] = await p.db
		.select({ role: partnershipAccess.role })
		.from(partnershipAccess)
		.where(and(eq(partnershipAccess.partnershipId, p.id), eq(partnershipAccess.userId, actor.id)));
	return row?.role === 'coordinator';
}

/**
 * The partnership registry. Coordinators edit their own partnership: that is a fact about the
 * partnership (`partnership_access`), asked with `mayOn`/`authorizeOn` on top of the role.
 */
export const partnershipsPolicy = rules({
	create: {
		allow: editors,
		why: "a partnership joins organizations on both sides: the programme's editors register it"
	},
	edit: {
		allow: editors,
		also: { who: 'a coordinator of this partnership', when: coordinates },
		why: "the programme's editors keep every partnership's page right; its coordinator keeps their own up to date and invites its members"
	},
	workInSpace: {
		allow: signedIn,
		why:
			"the first, role-only step of a change in one partnership's space: a coordinator may hold any " +
			'role, so `edit` is then asked with the partnership itself'
	},
	changeMembers: {
		allow: editors,
		why: 'which organizations take part is part of the programme’s register, not of the partnership’s own page'
	},
	seeMemberNames: {
		allow: editors,
		why:
			"the names on people's accounts in a partnership's space: editors choose coordinators among them; " +
			'a coordinator invites by address and sees addresses, so an invitation never tells them whose account an address is'
	},
	appointCoordinator: {
		allow: editors,
		why: 'a coordinator edits the public page: editors choose who (and remove coordinators)'
	},
	attachFromLibrary: {
		allow: staff,
		why: "the staff's media library is theirs; coordinators upload their partnership's own files"
	}
});
