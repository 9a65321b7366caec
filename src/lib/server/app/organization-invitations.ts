import { randomBytes } from 'node:crypto';
import { and, count, eq, gt } from 'drizzle-orm';
import { format, isLocale, localizePath, messages } from '#lib/i18n/index.ts';
import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import { pick } from '../kernel/localized.ts';
import { sendMail } from '../kernel/mail.ts';
import { can, type Actor } from '../kernel/policy.ts';
import { auditLog } from '../kernel/schema.ts';
import { runCommand } from '../kernel/write.ts';
import type { Auth } from '../accounts/auth.ts';
import { createInvitedAccount } from '../accounts/commands.ts';
import { user } from '../accounts/schema.ts';
import { organizationsPolicy } from '../organizations/policy.ts';
import { addOrganizationMember } from '../organizations/members/commands.ts';
import { administeredOrganization, authorizeMembers } from '../organizations/members/queries.ts';
import { invitationForm, nameFromAddress } from '../partnerships/space/input.ts';
import { accountByEmail } from '../partnerships/space/queries.ts';
import { invitationsPerDay } from './partnership-invitations.ts';

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
		check: async (tx, _input, who) => {
			await authorizeMembers(tx, who, slug);
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
			const existing = await accountByEmail(tx, input.email);
			let userId: string;
			let send: () => Promise<void>;
			if (existing) {
				userId = existing.id;
				// The work a new account costs, so the answer's time does not tell the two apart.
				await (await auth.$context).password.hash(randomBytes(32).toString('base64url'));
				const locale = isLocale(existing.locale) ? existing.locale : 'sv';
				const t = messages(locale).organizations.access.mail;
				const name = org ? pick(org.name, locale) : slug;
				const url = new URL(setPasswordUrl).origin + localizePath(locale, `/organizations/${slug}`);
				send = () =>
					sendMail({
						to: input.email,
						subject: format(t.addedSubject, { organization: name }),
						text: format(t.addedText, { organization: name, link: url })
					});
			} else {
				const invitation = await createInvitedAccount(
					auth,
					tx,
					who,
					{ email: input.email, name: input.name ?? nameFromAddress(input.email), role: 'reader' },
					setPasswordUrl
				);
				userId = invitation.userId;
				send = invitation.send;
			}
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
