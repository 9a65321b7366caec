import { isAPIError } from 'better-auth/api';
import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import { recordAuthEvent, type Auth } from './auth.ts';
import type { SignInThrottle } from './throttle.ts';
import { staff as staffRoles } from '../kernel/policy.ts';
import { newPasswordForm, resetRequestForm, secondFactorForm, signInForm } from './input.ts';

/**
 * The ways in: a password (counted by the throttle), the second step, and a forgotten password.
 * better-auth does the work and logs through its hooks (auth.ts); these read the forms and give
 * answers that never say whether an account exists.
 */

type Raw = FormData | Record<string, unknown>;

const isStaff = (role: unknown) => (staffRoles as readonly unknown[]).includes(role);

export type SignInOutcome =
	| { ok: true; headers: Headers; secondFactor: boolean; staff: boolean; userId: string | null }
	| { ok: false; reason: 'invalid' | 'unverified' | 'locked'; waitSeconds?: number };

/** Where a sign-in attempt comes from. */
export interface Client {
	ip: string;
	userAgent?: string | null;
}

/**
 * One sign-in attempt: refused while the account or address is locked out, counted when it fails.
 * A form that is not an address and a password is refused like a wrong password.
 */
export async function signIn(
	auth: Auth,
	throttle: SignInThrottle,
	db: Database,
	raw: Raw,
	client: Client
): Promise<SignInOutcome> {
	let input;
	try {
		input = readForm(raw, signInForm, 'accounts');
	} catch (error) {
		if (error instanceof ValidationError) return { ok: false, reason: 'invalid' };
		throw error;
	}
	const waitSeconds = await throttle.blockedFor(input.email, client.ip);
	if (waitSeconds > 0) {
		await recordAuthEvent(db, null, {
			action: 'auth.sign-in-blocked',
			subject: `email:${input.email}`,
			ip: client.ip
		});
		return { ok: false, reason: 'locked', waitSeconds };
	}
	const headers = new Headers({ 'x-client-ip': client.ip });
	if (client.userAgent) headers.set('user-agent', client.userAgent.slice(0, 500));
	try {
		const result = await auth.api.signInEmail({
			body: { email: input.email, password: input.password, rememberMe: true },
			headers,
			returnHeaders: true
		});
		await throttle.succeeded(input.email);
		const secondFactor = 'twoFactorRedirect' in result.response && !!result.response.twoFactorRedirect;
		return {
			ok: true,
			headers: result.headers,
			secondFactor,
			// Staff go on to the workspace, residents to their account. Only staff have a second
			// step, and before it better-auth does not say who signed in.
			staff: secondFactor || ('user' in result.response && isStaff(result.response.user.role)),
			// Who it was, where better-auth says (the app finds where their work is).
			userId: 'user' in result.response ? result.response.user.id : null
		};
	} catch (error) {
		if (!isAPIError(error)) throw error;
		await throttle.failed(input.email, client.ip);
		if (error.body?.code === 'EMAIL_NOT_VERIFIED') return { ok: false, reason: 'unverified' };
		return { ok: false, reason: 'invalid' };
	}
}

/**
 * The second step: six digits from the app, or one of the single-use backup codes. The cookies
 * of the first step (in `headers`) say who is signing in; a wrong code is `badCode` on `code`.
 */
export async function verifySecondFactor(auth: Auth, raw: Raw, headers: Headers): Promise<void> {
	const problem = new ValidationError([{ field: 'code', code: 'badCode' }], 'accounts');
	let code: string;
	try {
		({ code } = readForm(raw, secondFactorForm, 'accounts'));
	} catch (error) {
		if (error instanceof ValidationError) throw problem;
		throw error;
	}
	try {
		if (/^\d{6}$/.test(code)) await auth.api.verifyTOTP({ body: { code }, headers });
		else await auth.api.verifyBackupCode({ body: { code }, headers });
	} catch (error) {
		if (isAPIError(error)) throw problem;
		throw error;
	}
}

/**
 * "Forgot your password": a mail with a one-time link, at most five a window per client address.
 * The same answer whether or not the account exists; false when the address has asked too often.
 */
export async function requestPasswordReset(
	auth: Auth,
	throttle: SignInThrottle,
	raw: Raw,
	client: Client,
	redirectTo: string
): Promise<boolean> {
	const { email } = readForm(raw, resetRequestForm, 'accounts');
	if (!(await throttle.resetAllowed(client.ip))) return false;
	await auth.api.requestPasswordReset({ body: { email, redirectTo } });
	return true;
}

/**
 * A new password through the mailed link: the policy first (as typed), then better-auth, which
 * ends every session and logs the change (auth.ts). A used or expired link is `tokenInvalid`.
 */
export async function choosePassword(auth: Auth, raw: Raw): Promise<void> {
	const { token, password } = readForm(raw, newPasswordForm, 'accounts');
	try {
		await auth.api.resetPassword({ body: { token, newPassword: password } });
	} catch (error) {
		if (isAPIError(error)) throw new ValidationError([{ field: 'token', code: 'tokenInvalid' }], 'accounts');
		throw error;
	}
}
