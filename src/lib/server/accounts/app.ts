import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getRequestEvent } from '$app/server';
import { sveltekitCookies } from 'better-auth/svelte-kit';
import { appDatabase } from '../db/app.ts';
import { sendMail } from '../mail/mailer.ts';
import { createAuth, type Auth } from './auth.ts';
import { createSignInThrottle, type SignInThrottle } from './throttle.ts';

/** The public origin: ORIGIN in production, else this machine. */
export function publicOrigin(): string {
	return process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

/**
 * BETTER_AUTH_SECRET, or a random one kept in data/auth-secret, so that `npm start` works without
 * configuration and sessions survive a restart.
 */
function secret(): string {
	if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
	const file = path.resolve(process.env.AUTH_SECRET_FILE ?? 'data/auth-secret');
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
