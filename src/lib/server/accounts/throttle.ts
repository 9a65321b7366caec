import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { lt, sql } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { signInThrottle } from './schema.ts';

/** Failed sign-ins allowed per account in the window, before the account is locked for a while. */
export const accountAttempts = 5;
/** Failed sign-ins allowed per client address in the window (several people may share one). */
export const addressAttempts = 20;
const windowSeconds = 15 * 60;
/** Sign-ups allowed per client address, and mails per e-mail address, in an hour. */
export const signUpsPerClient = 10;
export const signUpsPerEmail = 3;
const signUpWindowSeconds = 60 * 60;

/**
 * Limits failed sign-ins per account and per address, stored in the database so that every app
 * instance counts the same attempts.
 */
export function createSignInThrottle(db: Database) {
	const options = {
		storeClient: db,
		schema: signInThrottle,
		duration: windowSeconds,
		clearExpiredByTimeout: false
	};
	const byAccount = new RateLimiterDrizzle({ ...options, keyPrefix: 'account', points: accountAttempts });
	const byAddress = new RateLimiterDrizzle({ ...options, keyPrefix: 'address', points: addressAttempts });
	const resets = new RateLimiterDrizzle({ ...options, keyPrefix: 'reset', points: 5 });
	const signUpOptions = { ...options, duration: signUpWindowSeconds };
	const signUpsFrom = new RateLimiterDrizzle({
		...signUpOptions,
		keyPrefix: 'sign-up-client',
		points: signUpsPerClient
	});
	const signUpsTo = new RateLimiterDrizzle({
		...signUpOptions,
		keyPrefix: 'sign-up-email',
		points: signUpsPerEmail
	});
	const allowed = (limiter: RateLimiterDrizzle, key: string) =>
		limiter.consume(key).then(
			() => true,
			(r) => {
				if (r instanceof RateLimiterRes) return false;
				throw r;
			}
		);
	const account = (email: string) => email.trim().toLowerCase().slice(0, 254);

	return {
		/** Seconds to wait when either limit is used up; 0 when the attempt may go ahead. */
		async blockedFor(email: string, ip: string): Promise<number> {
			const [a, b] = await Promise.all([byAccount.get(account(email)), byAddress.get(ip)]);
			const wait = (r: RateLimiterRes | null, max: number) =>
				r && r.consumedPoints >= max ? Math.ceil(r.msBeforeNext / 1000) : 0;
			return Math.max(wait(a, accountAttempts), wait(b, addressAttempts));
		},
		async failed(email: string, ip: string): Promise<void> {
			// consume() rejects once the limit is passed; the count is what matters here.
			await Promise.allSettled([byAccount.consume(account(email)), byAddress.consume(ip)]);
		},
		async succeeded(email: string): Promise<void> {
			await byAccount.delete(account(email));
		},
		/** Password-reset mails: at most five per address in the window. */
		async resetAllowed(ip: string): Promise<boolean> {
			return allowed(resets, ip);
		},
		/** Sign-ups from one client address: a few an hour (a household, a library's computer). */
		async signUpAllowed(ip: string): Promise<boolean> {
			return allowed(signUpsFrom, ip);
		},
		/**
		 * Mails to one e-mail address from the sign-up form (a verification link, or "you already
		 * have an account"): a few an hour, so that the form cannot be used to flood someone.
		 */
		async signUpMailAllowed(email: string): Promise<boolean> {
			return allowed(signUpsTo, account(email));
		}
	};
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;

/**
 * Codes from the authenticator app that someone has used, kept for as long as a code is accepted
 * (its 30-second step and one on either side, with room to spare): a code seen over a shoulder or
 * relayed by a phishing page does not work a second time. In the throttle's table: one point per
 * person and code, so two requests racing with the same code cannot both be first.
 */
export function createUsedCodes(db: Database) {
	const used = new RateLimiterDrizzle({
		storeClient: db,
		schema: signInThrottle,
		keyPrefix: 'totp-used',
		points: 1,
		duration: 120,
		clearExpiredByTimeout: false
	});
	return {
		/** Whether this person has used this code already (without using it). */
		async seen(userId: string, code: string): Promise<boolean> {
			return ((await used.get(`${userId}:${code}`))?.consumedPoints ?? 0) > 0;
		},
		/** True the first time this person uses this code, false every time after. */
		firstUse(userId: string, code: string): Promise<boolean> {
			return used.consume(`${userId}:${code}`).then(
				() => true,
				(r) => {
					if (r instanceof RateLimiterRes) return false;
					throw r;
				}
			);
		}
	};
}

/**
 * Deletes counters and used codes whose time is over. The limiters leave them (their own timer
 * would run in every instance); without this, each sign-in with a code leaves a row for good.
 */
export async function forgetExpired(db: Database): Promise<number> {
	const gone = await db
		.delete(signInThrottle)
		.where(lt(signInThrottle.expire, sql`now() - interval '1 hour'`))
		.returning({ key: signInThrottle.key });
	return gone.length;
}
