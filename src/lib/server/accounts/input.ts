import { z } from 'zod';
import { fields, requiredLine } from '../kernel/input.ts';
import { roles, user } from './schema.ts';
import { maxPasswordLength, passwordProblem } from './password-policy.ts';

/**
 * What people send to the accounts pages: sign-in, the second step, a forgotten password, their
 * own account, and the admin's user list. Passwords are read exactly as typed (the kernel's
 * reader never trims a form field), so what is checked is what is stored.
 */

/** A person's name on their account (also how the auth library's own writes are checked). */
export const userName = requiredLine(120);
const name = userName;

/** One of the platform's roles. */
const role = z.enum(roles, 'invalidRole');

/**
 * A user's id as better-auth makes it (32 letters and digits; tests use UUIDs). It comes from a
 * hidden field, so a bad one is a tampered form.
 */
const userId = z.string('unknownUser').regex(/^[A-Za-z0-9_-]{1,64}$/, 'unknownUser');

/** A session's id (never its token, which stays in the cookie). */
const sessionId = z.string('unknownSession').regex(/^[A-Za-z0-9_-]{1,64}$/, 'unknownSession');

/** A password someone types to prove who they are (the account's own check decides). */
const currentPassword = (code: 'wrongPassword' | 'required') => z.string(code).max(1000, code);

/** A new password: the policy's length, breach list and platform name, checked as typed. */
const newPassword = z
	.string('required')
	.max(maxPasswordLength * 4, 'password-tooLong')
	.superRefine((value, ctx) => {
		const problem = passwordProblem(value);
		if (problem) ctx.addIssue({ code: 'custom', message: `password-${problem}` });
	});

/** A code from the authenticator app or a backup code; spaces typed between groups are dropped. */
const code = (tooLong: 'badCode' | 'wrongCode') =>
	z
		.string('required')
		.transform((v) => v.replace(/\s+/g, ''))
		.pipe(z.string().min(1, 'required').max(40, tooLong));

/** Where to go after signing in (`?to=/admin/media`); only a path on this site is followed. */
const returnTo = z.string().optional();

// ---------------------------------------------------------------------------------------------
// Sign-in, the second step, a forgotten password

/** `/sign-in?to=…&notice=…`: an unknown notice is no error, just nothing to show. */
export const signInQuery = {
	to: returnTo,
	notice: z.enum(['password-changed', 'signed-out']).optional().catch(undefined)
};

/** `/sign-in/two-factor?to=…` */
export const returnQuery = { to: returnTo };

/** The sign-in form. */
export const signInForm = {
	email: fields.email,
	password: currentPassword('required')
};

/** The second step of signing in: six digits from the app, or a backup code. */
export const secondFactorForm = { code: code('badCode') };

/** "Forgot your password": the address to send the link to. */
export const resetRequestForm = { email: fields.email };

/** `/reset-password/new?token=…` (the link in the mail). */
export const resetQuery = { token: z.string().max(200, 'tokenInvalid').optional() };

/** Choosing a new password with the token from the mail. */
export const newPasswordForm = {
	token: z.string('tokenInvalid').max(200, 'tokenInvalid'),
	password: newPassword
};

// ---------------------------------------------------------------------------------------------
// Signing up (residents: readers, by themselves)

/**
 * The sign-up form: a display name, the address, a new password (the policy) and the language of
 * the mail and the account. Nothing else is read: a `role` or anything else sent is ignored.
 */
export const signUpForm = {
	displayName: name,
	email: fields.email,
	password: newPassword,
	lang: fields.lang
};

// ---------------------------------------------------------------------------------------------
// Staff and roles (the admin's user list, the command line)

/** A member of staff with a password (the first admin, from the command line). */
export const staffForm = { email: fields.email, name, role, password: newPassword };

/** An invitation: the invitee chooses a password through the mailed link. */
export const inviteForm = { email: fields.email, name, role };

/** Another role for a user. */
export const roleForm = { user: userId, role };

/** Disable a user (`disabled=true`) or let them back (`disabled=false`). */
export const disableForm = {
	user: userId,
	disabled: z.enum(['true', 'false'], 'invalid').transform((v) => v === 'true')
};

/** `/admin/audit?page=2` */
export const auditLogQuery = { page: fields.page.optional() };

// ---------------------------------------------------------------------------------------------
// One's own account

/** End one of one's own sessions. */
export const endSessionForm = { session: sessionId };

/** How notifications come: each as its own mail, gathered once a day or once a week, or not at all. */
export const notificationMails = [
	'single',
	'daily',
	'weekly',
	'none'
] as const satisfies readonly (typeof user.$inferSelect)['notificationMail'][];
export type NotificationMail = (typeof notificationMails)[number];

/** One's settings: the name others see, the language of pages and mail, how notifications come. */
export const settingsForm = {
	displayName: name,
	lang: fields.lang,
	notificationMail: z.enum(notificationMails, 'invalidNotificationMail')
};

/** Delete one's account: the password again. */
export const deleteAccountForm = { password: currentPassword('wrongPassword') };

/** Begin two-step verification: the password again. */
export const startTwoFactorForm = { password: currentPassword('wrongPassword') };

/** Turn two-step verification on with the first code from the app. */
export const confirmTwoFactorForm = { code: code('wrongCode') };
