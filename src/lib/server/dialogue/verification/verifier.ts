import { createHmac } from 'node:crypto';
import { config } from '../../kernel/config.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { logger } from '../../kernel/logger.ts';
import type { Transaction } from '../../kernel/database.ts';
import { residentVerification, type VerificationMethod } from '../schema.ts';

// Resident verification: one interface, several ways to prove where one lives. Each verifier
// turns a proof (a typed identity number and postal code checked against the municipality's
// list, or an e-identification's claims) into the organizations the person is a resident of and
// a keyed hash of who they are. Nothing here keeps an identifier in clear: the census list, the
// verified subject and the attempt limits all hold HMAC-SHA256 under VERIFICATION_SECRET.

/** What a proof established: residence in these organizations, by this person (a keyed hash). */
export interface Proven {
	organizationIds: number[];
	/** `subjectHash` of the person's identifier: one person verifies one account per organization. */
	subject: string;
}

/**
 * A way to verify residents. `prove` answers null when the proof shows no residence it can vouch
 * for (the message says why); it never writes. Recording is `recordVerification`'s, the same for
 * every method, in the command's transaction.
 */
export interface Verifier<Proof> {
	readonly method: VerificationMethod;
	/** Whether this deployment offers the method (its settings are there). */
	available(): boolean;
	prove(proof: Proof): Promise<Proven>;
}

/** The key of every hash here; refuses (a form-level message) when the platform has none. */
export function verificationSecret(): string {
	const secret = config().verification.secret;
	if (!secret) throw new ValidationError([{ field: 'form', code: 'verifyNotConfigured' }], 'dialogue');
	return secret;
}

export const verificationConfigured = () => Boolean(config().verification.secret);

const hmac = (secret: string, ...parts: string[]) =>
	createHmac('sha256', secret).update(parts.join('\u0000')).digest('base64url');

/**
 * A Swedish personal identity number (personnummer, samordningsnummer) in one form: digits only,
 * the century dropped (19900101-1234, 199001011234 and 900101-1234 are one person). Anything else
 * (an e-identification's opaque subject) is kept as sent, trimmed. Null when it is not a number of
 * 10 or 12 digits and `strict` asks for one.
 */
export function normalIdentifier(value: string, strict = true): string | null {
	const trimmed = value.trim();
	if (/^[\d\s+-]+$/.test(trimmed)) {
		const digits = trimmed.replace(/\D/g, '');
		if (digits.length === 12) return digits.slice(2);
		if (digits.length === 10) return digits;
	}
	return strict || !trimmed ? null : trimmed;
}

/** A Swedish postal code as five digits ("449 30" → "44930"), or null. */
export function normalPostNumber(value: string): string | null {
	const digits = value.replace(/[\s-]/g, '');
	return /^\d{5}$/.test(digits) ? digits : null;
}

/** The census list's entry for a resident: identifier and postal code, keyed. */
export const censusHash = (secret: string, identifier: string, postNumber: string) =>
	hmac(secret, 'census', identifier, postNumber);

/** Who a person is, keyed: the same for every method, so census and e-identification meet. */
export const subjectHash = (secret: string, identifier: string) => hmac(secret, 'subject', identifier);

/** The key attempts at one identifier count under (guessing postal codes for a known number). */
export const attemptKey = (secret: string, identifier: string) => hmac(secret, 'attempt', identifier);

/**
 * Records the participant as a verified resident of each organization, in the command's
 * transaction. A second verification of the same account renews it; the same person on another
 * account breaks `resident_verification_subject_unique`, which the command answers with
 * `identityTaken`.
 */
export async function recordVerification(
	tx: Transaction,
	userId: string,
	method: VerificationMethod,
	proven: Proven
): Promise<void> {
	const now = new Date();
	for (const organizationId of proven.organizationIds) {
		await tx
			.insert(residentVerification)
			.values({ userId, organizationId, method, subject: proven.subject, verifiedAt: now })
			.onConflictDoUpdate({
				target: [residentVerification.userId, residentVerification.organizationId],
				set: { method, subject: proven.subject, verifiedAt: now }
			});
	}
}

/** What the form says when the person is verified with another account. */
export const identityTaken = () =>
	new ValidationError([{ field: 'form', code: 'verifyIdentityTaken' }], 'dialogue');

/**
 * Runs a participant's attempt at verifying and logs a refusal as a security event (ASVS V7):
 * who, by which method, why (the message codes) and from where; never what they typed or what
 * the provider sent, so no identity number or postal code reaches the log.
 */
export async function loggedAttempt<T>(
	who: { userId: string; method: VerificationMethod; ip?: string | null },
	attempt: () => Promise<T>
): Promise<T> {
	try {
		return await attempt();
	} catch (e) {
		if (e instanceof ValidationError) {
			logger.warn(
				{
					security: true,
					event: 'resident.verify.failed',
					userId: who.userId,
					method: who.method,
					reasons: e.problems.map((p) => String(p.code)),
					ip: who.ip ?? null
				},
				'A resident verification was refused'
			);
		}
		throw e;
	}
}
