import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { editors, rules, type Actor } from '../kernel/policy.ts';
import { partnershipAccess } from '../partnerships/schema.ts';

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

/** Results follow-up. Frameworks and progress are public (no rule to read them). */
export const resultsPolicy = rules({
	editFramework: {
		allow: editors,
		also: { who: 'a coordinator of this partnership', when: coordinates },
		why: "a partnership plans and reports its own results; the programme's staff help and correct"
	}
});
