import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import { can, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import type { Auth } from '../accounts/auth.ts';
import { createInvitedAccount, type Invitation } from '../accounts/commands.ts';
import { partnershipsPolicy } from '../partnerships/policy.ts';
import { addMember } from '../partnerships/space/commands.ts';
import { invitationForm } from '../partnerships/space/input.ts';
import { accountIdByEmail, invitationsSince, partnershipToEdit } from '../partnerships/space/queries.ts';

/**
 * How many accounts a coordinator (someone who is not an editor) may have made by invitation in a
 * day: enough for a partnership's team, too few to use the platform's mail for anything else.
 */
export const newAccountsPerDay = 20;

/**
 * Invites someone into a partnership's space by address (its editors or its coordinator): an
 * existing account gets access at once; a new address gets a reader account and, once the
 * change is saved, a mailed link to choose a password. The account and the access are one
 * change: either both are there or neither. Returns the address.
 */
export async function inviteToPartnership(
	db: Database,
	auth: Auth,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>,
	setPasswordUrl: string
): Promise<string> {
	const { email, invitation } = await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => readForm(raw, invitationForm, 'partnerships'),
		check: async (tx, _input, who) => void (await partnershipToEdit(tx, who, slug)),
		work: async (tx, input, who) => {
			let userId = await accountIdByEmail(tx, input.email);
			let invitation: Invitation | null = null;
			if (!userId) {
				const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
				if (
					!can(who, partnershipsPolicy.appointCoordinator) &&
					(await invitationsSince(tx, who.id, dayAgo)) >= newAccountsPerDay
				) {
					throw new ValidationError([{ field: 'email', code: 'tooManyInvitations' }], 'partnerships');
				}
				const name = input.name ?? input.email.slice(0, 120);
				invitation = await createInvitedAccount(
					auth,
					tx,
					who,
					{ email: input.email, name, role: 'reader' },
					setPasswordUrl
				);
				userId = invitation.userId;
			}
			await addMember(tx, who, slug, { user: userId });
			// Each module's command writes its own audit rows in this transaction.
			return { result: { email: input.email, invitation }, audit: [], public: false };
		}
	});
	// The link leads to the new account, so it goes only once the account is saved.
	await invitation?.send();
	return email;
}
