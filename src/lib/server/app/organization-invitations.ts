import { and, count, eq, gt } from 'drizzle-orm';
import { format, localizePath, messages } from '#lib/i18n/index.ts';
import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import { pick } from '../kernel/localized.ts';
import { can, type Actor } from '../kernel/policy.ts';
import { auditLog } from '../kernel/schema.ts';
import { runCommand } from '../kernel/write.ts';
import type { Auth } from '../accounts/auth.ts';
import { user } from '../accounts/schema.ts';
import { organizationsPolicy } from '../organizations/policy.ts';
import { addOrganizationMember } from '../organizations/members/commands.ts';
import { administeredOrganization, authorizeMembers } from '../organizations/members/queries.ts';
import { invitationForm } from '../partnerships/space/input.ts';
import { invitationsPerDay } from './partnership-invitations.ts';
import { invitedAccount } from './invited-account.ts';

/**
 * An organization's administrator (or an editor) invites a colleague by address: a new address
 * gets a reader account and a mailed link to choose a password, an existing account a mail
 * saying where it was added; the inviter gets the same answer either way. The account, the
 * membership and the audit row are one change; the mail goes once it is saved. Administrators
 * who are not editors may invite `invitationsPerDay` people a day, as coordinators may.
 */
export async function inviteToOrganization(
	db: Database,
	auth: Auth,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>,
	setPasswordUrl: string
): Promise<string> {
	await authorizeMembers(db, actor, slug);
	const { email, send } = await runCommand(db, actor, {
		rule: organizationsPolicy.administer,
		// The same fields and messages as a partnership's invitation.
		parse: () => readForm(raw, invitationForm, 'partnerships'),
		unique: {
			user_email_unique: new ValidationError([{ field: 'email', code: 'invitedMeanwhile' }], 'partnerships')
		},
		// Who may invite was asked before the form was read; `addOrganizationMember` asks again in
		// the transaction, with the organization locked.
		check: async (tx, _input, who) => {
			if (can(who, organizationsPolicy.manageMembers)) return;
			await tx.select({ id: user.id }).from(user).where(eq(user.id, who.id)).for('update');
			const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
			const [sent] = await tx
				.select({ n: count() })
				.from(auditLog)
				.where(
					and(
						eq(auditLog.actorId, who.id),
						eq(auditLog.action, 'organization.invite'),
						gt(auditLog.at, dayAgo)
					)
				);
			if ((sent?.n ?? 0) >= invitationsPerDay) {
				throw new ValidationError([{ field: 'email', code: 'tooManyInvitations' }], 'partnerships');
			}
		},
		work: async (tx, input, who) => {
			const org = await administeredOrganization(tx, slug);
			const { userId, send } = await invitedAccount(
				tx,
				auth,
				who,
				input,
				setPasswordUrl,
				(locale, origin) => {
					const t = messages(locale).organizations.access.mail;
					const name = org ? pick(org.name, locale) : slug;
					const link = origin + localizePath(locale, `/organizations/${slug}`);
					return {
						to: input.email,
						subject: format(t.addedSubject, { organization: name }),
						text: format(t.addedText, { organization: name, link })
					};
				}
			);
			// Asks the organization's rule (its administrators, editors) before anything is kept.
			await addOrganizationMember(tx, who, slug, userId);
			return {
				result: { email: input.email, send },
				audit: {
					action: 'organization.invite',
					subject: `organization:${org?.id ?? slug}`,
					after: { email: input.email }
				},
				public: false
			};
		}
	});
	await send();
	return email;
}
