import { isAPIError } from 'better-auth/api';
import { z } from 'zod';
import type { Database } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import type { Auth } from './auth.ts';
import type { SignInThrottle } from './throttle.ts';

export const signInInput = z.object({
	email: z.string().trim().max(254),
	password: z.string().max(1000)
});

export type SignInOutcome =
	| { ok: true; headers: Headers; secondFactor: boolean }
	| { ok: false; reason: 'invalid' | 'unverified' | 'locked'; waitSeconds?: number };

/**
 * One sign-in attempt: refused while the account or address is locked out, counted when it fails.
 * The answer never says whether the account exists.
 */
export async function signIn(
	auth: Auth,
	throttle: SignInThrottle,
	db: Database,
	input: { email: string; password: string; ip: string; userAgent?: string | null }
): Promise<SignInOutcome> {
	const waitSeconds = await throttle.blockedFor(input.email, input.ip);
	if (waitSeconds > 0) {
		await audit(db, {
			actorId: null,
			action: 'auth.sign-in-blocked',
			subject: `email:${input.email.slice(0, 254)}`,
			ip: input.ip
		});
		return { ok: false, reason: 'locked', waitSeconds };
	}
	const headers = new Headers({ 'x-client-ip': input.ip });
	if (input.userAgent) headers.set('user-agent', input.userAgent.slice(0, 500));
	try {
		const result = await auth.api.signInEmail({
			body: { email: input.email, password: input.password, rememberMe: true },
			headers,
			returnHeaders: true
		});
		await throttle.succeeded(input.email);
		return {
			ok: true,
			headers: result.headers,
			secondFactor: 'twoFactorRedirect' in result.response && !!result.response.twoFactorRedirect
		};
	} catch (error) {
		if (!isAPIError(error)) throw error;
		await throttle.failed(input.email, input.ip);
		if (error.body?.code === 'EMAIL_NOT_VERIFIED') return { ok: false, reason: 'unverified' };
		return { ok: false, reason: 'invalid' };
	}
}
