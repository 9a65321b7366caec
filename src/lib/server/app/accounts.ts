import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getRequestEvent } from '$app/server';
import { sveltekitCookies } from 'better-auth/svelte-kit';
import { appDatabase } from './database.ts';
import { sendMail } from '../kernel/mail.ts';
import { createAuth, type Auth } from '../accounts/auth.ts';
import { createSignInThrottle, type SignInThrottle } from '../accounts/throttle.ts';
import { config } from '../kernel/config.ts';

/** The public origin: ORIGIN in production, else this machine. */
export function publicOrigin(): string {
	return config().publicOrigin;
}

/**
 * BETTER_AUTH_SECRET, or a random one kept in data/auth-secret, so that `npm start` works without
 * configuration and sessions survive a restart.
 */
function secret(): string {
	const { secret, secretFile: file } = config().auth;
	if (secret) return secret;
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true });
		writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
	}
	return readFileSync(file, 'utf8').trim();
}

let instance: Promise<{ auth: Auth; throttle: SignInThrottle }> | undefined;

/** The app's accounts: better-auth on the app database, with SvelteKit's cookies. */
export function appAccounts(): Promise<{ auth: Auth; throttle: SignInThrottle }> {
	instance ??= appDatabase().then(({ db }) => ({
		auth: createAuth({
			db,
			baseURL: publicOrigin(),
			secret: secret(),
			sendMail,
			plugins: [sveltekitCookies(getRequestEvent)]
		}),
		throttle: createSignInThrottle(db)
	}));
	return instance;
}
