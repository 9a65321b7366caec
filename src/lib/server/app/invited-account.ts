import { randomBytes } from 'node:crypto';
import { isLocale, type Locale } from '#lib/i18n/index.ts';
import type { Transaction } from '../kernel/database.ts';
import { sendMail, type Mail } from '../kernel/mail.ts';
import type { Actor } from '../kernel/policy.ts';
import { ValidationError } from '../kernel/errors.ts';
import type { Auth } from '../accounts/auth.ts';
import { createInvitedAccount } from '../accounts/commands.ts';
import { nameFromAddress } from '../partnerships/space/input.ts';
import { accountByEmail } from '../partnerships/space/queries.ts';

/**
 * The account an invitation (into a partnership, into an organization) lets in: an existing one
 * by its address, told by `toldMail` where it was added; else a new reader account whose mail
 * carries a link to choose a password. Either way the same work (a password hash), so the time
 * of the answer does not tell which. Runs in the caller's transaction; `send` goes after it commits.
 */
export async function invitedAccount(
	tx: Transaction,
	auth: Auth,
	who: NonNullable<Actor>,
	invitee: { email: string; name?: string },
	setPasswordUrl: string,
	toldMail: (locale: Locale, origin: string) => Promise<Mail> | Mail
): Promise<{ userId: string; send: () => Promise<void> }> {
	const existing = await accountByEmail(tx, invitee.email);
	if (existing) {
		await (await auth.$context).password.hash(randomBytes(32).toString('base64url'));
		const locale = isLocale(existing.locale) ? existing.locale : 'sv';
		const origin = new URL(setPasswordUrl).origin;
		return { userId: existing.id, send: async () => sendMail(await toldMail(locale, origin)) };
	}
	const invitation = await createInvitedAccount(
		auth,
		tx,
		who,
		{ email: invitee.email, name: invitee.name ?? nameFromAddress(invitee.email), role: 'reader' },
		setPasswordUrl
	).catch((error: unknown) => {
		// The account was made by another invitation that committed while this one hashed its
		// password: the same answer as when the two collide on the address's unique index.
		if (error instanceof ValidationError && error.problems.some((p) => p.code === 'emailTaken'))
			throw new ValidationError([{ field: 'email', code: 'invitedMeanwhile' }], 'partnerships');
		throw error;
	});
	return { userId: invitation.userId, send: invitation.send };
}
