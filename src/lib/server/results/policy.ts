import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { editors, mayOn, rules, signedIn, staff, type Actor } from '../kernel/policy.ts';
import { partnershipAccess } from '../partnerships/schema.ts';
import { analysisPolicy } from './analysis/policy.ts';
import { partnershipBySlug } from './reports/queries.ts';

/** The partnership a rule is asked about. */
export interface PartnershipRef {
	db: Database | Transaction;
	id: number;
}

/** Whether the person coordinates this partnership (on either side; partnerships/policy.ts asks the same). */
async function coordinates(actor: NonNullable<Actor>, p: PartnershipRef): Promise<boolean> {
	const [row] = await p.db
		.select({ role: partnershipAccess.role })
		.from(partnershipAccess)
		.where(and(eq(partnershipAccess.partnershipId, p.id), eq(partnershipAccess.userId, actor.id)));
	return row?.role === 'coordinator';
}

/** Whether the person takes part in the partnership's space at all (as coordinator or member). */
async function takesPart(actor: NonNullable<Actor>, p: PartnershipRef): Promise<boolean> {
	const [row] = await p.db
		.select({ role: partnershipAccess.role })
		.from(partnershipAccess)
		.where(and(eq(partnershipAccess.partnershipId, p.id), eq(partnershipAccess.userId, actor.id)));
	return row !== undefined;
}

/** Results follow-up. Frameworks and progress are public (no rule to read them). */
export const resultsPolicy = rules({
	...analysisPolicy,
	editFramework: {
		allow: editors,
		also: { who: 'a coordinator of this partnership', when: coordinates },
		why: "a partnership plans and reports its own results; the programme's staff help and correct"
	},
	readReport: {
		allow: staff,
		also: { who: 'a coordinator or member of this partnership', when: takesPart },
		why:
			"a draft or a submitted report is the partnership's work in progress; an approved report is public " +
			'(no rule to read it), like the framework it reports on'
	},
	workOnReport: {
		allow: signedIn,
		why:
			'the first, role-only step of writing or returning a report: a coordinator may hold any role, so ' +
			'`writeReport` or `returnReport` is then asked with the partnership itself'
	},
	workOnFramework: {
		allow: signedIn,
		why:
			"the first, role-only step of replacing a partnership's framework: a coordinator may hold any role, so " +
			'`editFramework` is then asked with the partnership itself'
	},
	writeReport: {
		allow: editors,
		also: { who: 'a coordinator of this partnership', when: coordinates },
		why: "a coordinator on either side writes the year's report and sends it; staff may help"
	},
	approveReport: {
		allow: signedIn,
		why:
			'the first, role-only step: each partner side approves through its own coordinator and the ' +
			'programme through its staff; which side a person may approve for is asked with the report'
	},
	approveForProgramme: {
		allow: editors,
		why: "the programme's staff approve last, once both partner sides have"
	},
	returnReport: {
		allow: editors,
		also: { who: 'a coordinator of this partnership', when: coordinates },
		why: 'the programme or either partner sends a submitted report back with a comment'
	},
	setDeadlines: {
		allow: editors,
		why: "the programme decides when each year's reports are due; every partnership's light follows"
	},
	reopenReport: {
		allow: editors,
		why: "an approved year is locked; only the programme's staff reopen it, with a reason kept in the history"
	}
});

/**
 * The partnership whose framework this person wants to change (or plan, or import into), if they
 * may: asked by a page or a form before the form is read, so someone who may not gets 403 (401
 * signed out) rather than the form's messages. The command asks again, in its transaction.
 */
export async function frameworkToEdit(
	db: Database,
	actor: Actor,
	slug: string
): Promise<{ id: number; slug: string }> {
	const ref = await partnershipBySlug(db, slug);
	if (!(await mayOn(actor, resultsPolicy.editFramework, { db, id: ref.id })))
		throw new ForbiddenError(actor === null);
	return ref;
}
