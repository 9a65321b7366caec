import type { Cookies } from '@sveltejs/kit';
import { z } from 'zod';
import type { PendingOidc } from '#lib/server/dialogue/verification/oidc.ts';
import { locales, type Locale } from '#lib/i18n/index.ts';
import { config } from '#lib/server/kernel/config.ts';

// What the start of e-identification keeps for its callback: state, nonce and the PKCE verifier
// (random, this browser's only), the account that started, the dialogue and page to return to
// and the language. A short-lived cookie for these two addresses only, sent back on the provider's
// top-level redirect (SameSite=Lax), gone once read.

const name = 'dialogue_oidc';
const cookiePath = '/dialogue/verify/oidc';

const shape = z.object({
	state: z.string().min(1).max(200),
	nonce: z.string().min(1).max(200),
	codeVerifier: z.string().min(43).max(128),
	userId: z.string().min(1).max(200),
	space: z.string().max(120).optional(),
	to: z.string().max(500).optional(),
	locale: z.enum(locales)
});

export function keepPending(cookies: Cookies, pending: PendingOidc, locale: Locale): void {
	cookies.set(name, JSON.stringify({ ...pending, locale }), {
		path: cookiePath,
		httpOnly: true,
		sameSite: 'lax',
		secure: config().production,
		maxAge: 10 * 60
	});
}

export function takePending(cookies: Cookies): (PendingOidc & { locale: Locale }) | null {
	const raw = cookies.get(name);
	cookies.delete(name, { path: cookiePath });
	if (!raw) return null;
	try {
		const parsed = shape.safeParse(JSON.parse(raw));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
