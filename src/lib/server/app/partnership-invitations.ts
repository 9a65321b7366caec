import { eq } from 'drizzle-orm';
import { format, localizePath, messages } from '#lib/i18n/index.ts';
import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import type { Mail } from '../kernel/mail.ts';
import { can, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import type { Auth } from '../accounts/auth.ts';
import { user } from '../accounts/schema.ts';
import { partnershipsPolicy } from '../partnerships/policy.ts';
import { getPartnership } from '../partnerships/queries.ts';
import { addMember } from '../partnerships/space/commands.ts';
import { invitationForm } from '../partnerships/space/input.ts';
import { invitationsSince, partnershipToEdit } from '../partnerships/space/queries.ts';
import { invitedAccount } from './invited-account.ts';

/**
 * How many invitations a coordinator (someone who is not an editor) may send in a day, to new and
 * existing addresses alike: enough for a partnership's team, too few to use the platform's mail
 * for anything else. Counting both means the limit tells nothing about which addresses have
 * accounts either.
 */
export const invitationsPerDay = 20;

/**
 * Invites someone into a partnership's space by address (its editors or its coordinator). A new
 * address gets a reader account and a mailed link to choose a password; an existing account is
 * let in and gets a mail saying where. The coordinator gets the same answer either way, and sees
 * the space's people by address (partnerships/space/queries.ts), so an invitation never tells
 * them whose account an address is. The account, the access and the audit row are one change;
 * the mail goes once it is saved. Invitations never lower a role (`addMember`). Returns the address.
 */
export async function inviteToPartnership(
	db: Database,
	auth: Auth,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>,
	setPasswordUrl: string
): Promise<string> {
	let partnershipId = 0;
	const { email, send } = await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => readForm(raw, invitationForm, 'partnerships'),
		// Two people inviting one new address at once: both find no account, one makes it.
		unique: {
			user_email_unique: new ValidationError([{ field: 'email', code: 'invitedMeanwhile' }], 'partnerships')
		},
		check: async (tx, _input, who) => {
			partnershipId = await partnershipToEdit(tx, who, slug);
			if (can(who, partnershipsPolicy.appointCoordinator)) return;
			// One invitation at a time per coordinator, so that two sent at once cannot both pass the count.
			await tx.select({ id: user.id }).from(user).where(eq(user.id, who.id)).for('update');
			const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
			if ((await invitationsSince(tx, who.id, dayAgo)) >= invitationsPerDay) {
				throw new ValidationError([{ field: 'email', code: 'tooManyInvitations' }], 'partnerships');
			}
		},
		work: async (tx, input, who) => {
			const { userId, send } = await invitedAccount(tx, auth, who, input, setPasswordUrl, (locale, origin) =>
				invitedMail(db, input.email, locale, origin, slug)
			);
			await addMember(tx, who, slug, { user: userId });
			return {
				result: { email: input.email, send },
				// Each module's command writes its own rows; this one is the invitation (what the limit counts).
				audit: {
					action: 'partnership.invite',
					subject: `partnership:${partnershipId}`,
					after: { email: input.email }
				},
				public: false
			};
		}
	});
	// The link leads to the account and the space, so it goes only once the change is saved.
	await send();
	return email;
}

/**
 * The mail to someone who already has an account: where they are invited, and a link to it. It
 * names no one: the inviter's words for the person stay out of it. Plain text only.
 */
export async function invitedMail(
	db: Database,
	to: string,
	locale: 'sv' | 'en',
	origin: string,
	slug: string
): Promise<Mail> {
	const m = messages(locale).partnerships.mail;
	const found = await getPartnership(db, locale, slug);
	const partnership = found
		? [...found.swedish, ...found.international].map((o) => o.name).join(' – ')
		: slug;
	const url = origin + localizePath(locale, `/partnerships/${slug}`);
	return { to, subject: m.invitedSubject, text: format(m.invitedText, { partnership, url }) };
}
