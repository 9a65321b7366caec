import * as client from 'openid-client';
import { inArray, or } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { config } from '../../kernel/config.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { organization } from '../../organizations/schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { recordProven } from './census.ts';
import { takeAttempt } from './limits.ts';
import {
	loggedAttempt,
	normalIdentifier,
	subjectHash,
	verificationConfigured,
	verificationSecret,
	type Proven,
	type Verifier
} from './verifier.ts';

// Verification with OpenID Connect: a Swedish e-identification broker (BankID, Freja eID through
// a broker) or any provider, set by VERIFICATION_OIDC. The authorization code flow with PKCE,
// state and nonce (openid-client, docs/decisions/0015). What counts as residence is the
// provider's municipality claim (the population register's municipality code), matched against
// the organizations' municipality codes: the municipality itself and its region. The identifier
// claim only makes the keyed subject, the same as the census's, so one person verifies one
// account whichever way they come.

export type OidcSettings = NonNullable<ReturnType<typeof config>['verification']['oidc']>;

/** The deployment's provider, or null (with a municipality claim: without one, no residence is proven). */
export function oidcSettings(): OidcSettings | null {
	const settings = config().verification.oidc;
	return settings?.municipalityClaim ? settings : null;
}

export const oidcAvailable = () => verificationConfigured() && oidcSettings() !== null;

/** Where the provider sends the participant back (registered with the provider). */
export const oidcCallbackPath = '/dialogue/verify/oidc/callback';
export const oidcRedirectUri = () => new URL(oidcCallbackPath, config().publicOrigin).href;

const discovered = new Map<string, Promise<client.Configuration>>();

/** The provider's configuration, discovered once per process (again after a failure). */
async function providerOf(settings: OidcSettings): Promise<client.Configuration> {
	const key = `${settings.issuer} ${settings.clientId}`;
	let found = discovered.get(key);
	if (!found) {
		const insecure = new URL(settings.issuer).protocol === 'http:';
		found = client.discovery(
			new URL(settings.issuer),
			settings.clientId,
			settings.clientSecret,
			undefined,
			// Plain http only for a provider on this machine or a test's: production issuers are https.
			insecure ? { execute: [client.allowInsecureRequests] } : undefined
		);
		found.catch(() => discovered.delete(key));
		discovered.set(key, found);
	}
	return found;
}

/** What the start keeps (in a short-lived cookie) for the callback to check. */
export interface PendingOidc {
	state: string;
	nonce: string;
	codeVerifier: string;
	/** The account that started: the callback must be the same one's. */
	userId: string;
	/** The dialogue to return to. */
	space?: string;
	/** The page to return to (a path on this site). */
	to?: string;
}

const failed = () => new ValidationError([{ field: 'form', code: 'verifyOidcFailed' }], 'dialogue');

/** The first step: where to send the participant, and what to keep until they come back. */
export async function startOidc(
	actor: Actor,
	options: { space?: string; to?: string; redirectUri?: string } = {}
): Promise<{ url: string; pending: PendingOidc }> {
	authorize(actor, dialoguePolicy.participate);
	verificationSecret();
	const settings = oidcSettings();
	if (!settings) throw new ValidationError([{ field: 'form', code: 'verifyNotConfigured' }], 'dialogue');
	const provider = await providerOf(settings).catch(() => {
		throw failed();
	});
	const pending: PendingOidc = {
		state: client.randomState(),
		nonce: client.randomNonce(),
		codeVerifier: client.randomPKCECodeVerifier(),
		userId: actor.id,
		...(options.space ? { space: options.space } : {}),
		...(options.to ? { to: options.to } : {})
	};
	const url = client.buildAuthorizationUrl(provider, {
		redirect_uri: options.redirectUri ?? oidcRedirectUri(),
		scope: settings.scope,
		response_type: 'code',
		code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
		code_challenge_method: 'S256',
		state: pending.state,
		nonce: pending.nonce
	});
	return { url: url.href, pending };
}

/** The claims the provider vouches for: the ID token's, then the userinfo's for what it lacks. */
async function claimsOf(provider: client.Configuration, callback: URL, pending: PendingOidc) {
	const tokens = await client.authorizationCodeGrant(provider, callback, {
		pkceCodeVerifier: pending.codeVerifier,
		expectedState: pending.state,
		expectedNonce: pending.nonce,
		idTokenExpected: true
	});
	const idClaims: Record<string, unknown> = tokens.claims() ?? {};
	const info = await client
		.fetchUserInfo(provider, tokens.access_token, String(idClaims.sub))
		.catch(() => ({}) as Record<string, unknown>);
	return { ...info, ...idClaims } as Record<string, unknown>;
}

/** The e-identification's claims as a proof of residence. */
export function oidcVerifier(db: Database): Verifier<Record<string, unknown>> {
	return {
		method: 'oidc',
		available: oidcAvailable,
		async prove(claims): Promise<Proven> {
			const settings = oidcSettings();
			if (!settings?.municipalityClaim) throw failed();
			const rawId = claims[settings.identifierClaim];
			const identifier =
				typeof rawId === 'string' || typeof rawId === 'number'
					? normalIdentifier(String(rawId), false)
					: null;
			if (!identifier) throw failed();
			const code = String(claims[settings.municipalityClaim] ?? '').trim();
			const organizations = /^\d{4}$/.test(code)
				? await db
						.select({ id: organization.id })
						.from(organization)
						.where(or(inArray(organization.municipalityCode, [code, code.slice(0, 2)])))
				: [];
			if (!organizations.length) {
				throw new ValidationError([{ field: 'form', code: 'verifyOidcNoMunicipality' }], 'dialogue');
			}
			return {
				organizationIds: organizations.map((o) => o.id),
				subject: subjectHash(verificationSecret(), identifier)
			};
		}
	};
}

/**
 * The provider sent the participant back: the code is exchanged (PKCE, state and nonce checked),
 * the claims make the proof, the verification is recorded. Any failure on the way is one message
 * (the provider's details are not the participant's to read), logged as a security event.
 */
export async function completeOidc(
	db: Database,
	actor: Actor,
	callback: URL,
	pending: PendingOidc | null,
	options: { ip?: string | null; redirectUri?: string } = {}
): Promise<{ organizationIds: number[] }> {
	authorize(actor, dialoguePolicy.participate);
	return loggedAttempt({ userId: actor.id, method: 'oidc', ip: options.ip }, async () => {
		verificationSecret();
		const settings = oidcSettings();
		if (!settings) throw new ValidationError([{ field: 'form', code: 'verifyNotConfigured' }], 'dialogue');
		if (!pending || pending.userId !== actor.id) throw failed();
		await takeAttempt(db, { userId: actor.id, address: options.ip });
		const provider = await providerOf(settings).catch(() => {
			throw failed();
		});
		// The address the provider sent back to, as registered (behind a proxy the request's own may differ).
		const redirect = new URL(options.redirectUri ?? oidcRedirectUri());
		redirect.search = callback.search;
		const claims = await claimsOf(provider, redirect, pending).catch(() => {
			throw failed();
		});
		const proven = await oidcVerifier(db).prove(claims);
		return recordProven(db, actor, 'oidc', proven, options);
	});
}
