import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { signInThrottle } from '../../accounts/schema.ts';

// Attempts at verifying, counted in the database (the sign-in throttle's table, keys of our own)
// so that every instance counts alike: per account, per client address, and per identity number
// (under its keyed hash, never in clear). A known identity number and a municipality's few dozen
// postal codes would otherwise be a short guess; at five tries a day per number it takes weeks,
// and every try is in the audit log.

export const verifyLimits = {
	perParticipant: { points: 5, seconds: 60 * 60 },
	perAddress: { points: 30, seconds: 60 * 60 },
	perIdentifier: { points: 5, seconds: 24 * 60 * 60 }
} as const;

type Limiters = Record<keyof typeof verifyLimits, RateLimiterDrizzle>;
const limiters = new WeakMap<Database, Limiters>();

function limitersOf(db: Database): Limiters {
	let found = limiters.get(db);
	if (!found) {
		const make = (name: keyof typeof verifyLimits) =>
			new RateLimiterDrizzle({
				storeClient: db,
				schema: signInThrottle,
				keyPrefix: `dialogue-verify-${name}`,
				points: verifyLimits[name].points,
				duration: verifyLimits[name].seconds,
				clearExpiredByTimeout: false
			});
		found = {
			perParticipant: make('perParticipant'),
			perAddress: make('perAddress'),
			perIdentifier: make('perIdentifier')
		};
		limiters.set(db, found);
	}
	return found;
}

/**
 * Takes one attempt from each allowance that applies, or refuses with the minutes to wait. The
 * identifier's key is already a keyed hash (`attemptKey`).
 */
export async function takeAttempt(
	db: Database,
	keys: { userId: string; address?: string | null; identifier?: string }
): Promise<void> {
	const l = limitersOf(db);
	const taken: [RateLimiterDrizzle, string][] = [];
	const take = async (limiter: RateLimiterDrizzle, key: string) => {
		try {
			await limiter.consume(key);
			taken.push([limiter, key]);
		} catch (r) {
			if (!(r instanceof RateLimiterRes)) throw r;
			// What was taken from the other allowances is given back: this attempt was not made.
			await Promise.all(taken.map(([other, k]) => other.reward(k, 1).catch(() => undefined)));
			const minutes = Math.max(1, Math.ceil(r.msBeforeNext / 60_000));
			throw new ValidationError([{ field: 'form', code: 'verifyTooMany', params: { minutes } }], 'dialogue');
		}
	};
	await take(l.perParticipant, keys.userId);
	if (keys.address) await take(l.perAddress, keys.address);
	if (keys.identifier) await take(l.perIdentifier, keys.identifier);
}
