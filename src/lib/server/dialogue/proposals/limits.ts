import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database } from '../../kernel/database.ts';
import { signInThrottle } from '../../accounts/schema.ts';
import { messages, plural, type Locale } from '#lib/i18n/index.ts';

// How many proposals and supports one participant, and one client address, may give: counted in
// the database (the sign-in throttle's table, keys of our own), so every instance counts alike.

/** Allowances, per participant and per client address (an office or a library shares one). */
export const limits = {
	proposals: { perParticipant: 5, perAddress: 20, seconds: 24 * 60 * 60 },
	supports: { perParticipant: 100, perAddress: 500, seconds: 60 * 60 },
	/** Photos with proposals and their edits: each is decoded and stored, the costliest input. */
	photos: { perParticipant: 10, perAddress: 40, seconds: 24 * 60 * 60 },
	/** Reports on a map: a neighbourhood walk may find many; a health worker's office shares an address. */
	reports: { perParticipant: 30, perAddress: 200, seconds: 24 * 60 * 60 },
	/** Survey responses (anonymous ones count by address only): a meeting's guests share one network. */
	surveys: { perParticipant: 20, perAddress: 300, seconds: 60 * 60 }
} as const;

/** What an allowance counts. */
export type AllowanceKind = keyof typeof limits;

/** Too many proposals or supports: the page says when the next one may go. */
export class ParticipationLimitError extends Error {
	readonly kind: AllowanceKind;
	readonly retryAfterSeconds: number;
	constructor(kind: AllowanceKind, retryAfterSeconds: number) {
		super(`${kind} limit reached`);
		this.name = 'ParticipationLimitError';
		this.kind = kind;
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

/** What the page says when an allowance is used up: what, and when to try again. */
export function limitMessage(e: ParticipationLimitError, locale: Locale): string {
	const t = messages(locale).dialogue.proposals;
	const minutes = Math.max(1, Math.ceil(e.retryAfterSeconds / 60));
	const retry =
		minutes < 90
			? plural(locale, t.retryMinutes, minutes)
			: plural(locale, t.retryHours, Math.ceil(minutes / 60));
	return `${t.limited[e.kind]} ${retry}`;
}

type Limiters = Record<AllowanceKind, { byParticipant: RateLimiterDrizzle; byAddress: RateLimiterDrizzle }>;
const limiters = new WeakMap<Database, Limiters>();

function limitersOf(db: Database): Limiters {
	let found = limiters.get(db);
	if (!found) {
		// The sign-in throttle's table with keys of our own: every instance counts the same way.
		const make = (kind: AllowanceKind) => {
			const l = limits[kind];
			const options = {
				storeClient: db,
				schema: signInThrottle,
				duration: l.seconds,
				clearExpiredByTimeout: false
			};
			return {
				byParticipant: new RateLimiterDrizzle({
					...options,
					keyPrefix: `dialogue-${kind}-user`,
					points: l.perParticipant
				}),
				byAddress: new RateLimiterDrizzle({
					...options,
					keyPrefix: `dialogue-${kind}-ip`,
					points: l.perAddress
				})
			};
		};
		found = Object.fromEntries(
			(Object.keys(limits) as AllowanceKind[]).map((kind) => [kind, make(kind)])
		) as Limiters;
		limiters.set(db, found);
	}
	return found;
}

/**
 * Takes one from the participant's and the address's allowance, or throws ParticipationLimitError.
 * An anonymous answer (no participant) counts by its address alone.
 */
export async function takeAllowance(
	db: Database,
	kind: AllowanceKind,
	userId: string | null,
	ip: string | null | undefined
): Promise<void> {
	const { byParticipant, byAddress } = limitersOf(db)[kind];
	const refused = (r: unknown) =>
		r instanceof RateLimiterRes ? new ParticipationLimitError(kind, Math.ceil(r.msBeforeNext / 1000)) : r;
	if (userId)
		await byParticipant.consume(userId).catch((r) => {
			throw refused(r);
		});
	if (!ip) return;
	await byAddress.consume(ip).catch(async (r) => {
		// The participant's own allowance is given back: nothing was written.
		if (userId) await byParticipant.reward(userId, 1).catch(() => undefined);
		throw refused(r);
	});
}

/** Gives one back to the participant's and the address's allowance: what it was taken for was not written. */
export async function returnAllowance(
	db: Database,
	kind: AllowanceKind,
	userId: string | null,
	ip: string | null | undefined
): Promise<void> {
	const { byParticipant, byAddress } = limitersOf(db)[kind];
	if (userId) await byParticipant.reward(userId, 1).catch(() => undefined);
	if (ip) await byAddress.reward(ip, 1).catch(() => undefined);
}
