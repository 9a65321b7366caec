import { getRequestEvent } from '$app/server';
import { sveltekitCookies } from 'better-auth/svelte-kit';
import { appDatabase } from './database.ts';
import { sendMail } from '../kernel/mail.ts';
import { createAuth, type Auth } from '../accounts/auth.ts';
import { createSignInThrottle, type SignInThrottle } from '../accounts/throttle.ts';
import { config } from '../kernel/config.ts';
import { serverSecret } from '../kernel/secrets.ts';

/** The public origin: ORIGIN in production, else this machine. */
export function publicOrigin(): string {
	return config().publicOrigin;
}

let instance: Promise<{ auth: Auth; throttle: SignInThrottle }> | undefined;

/** The app's accounts: better-auth on the app database, with SvelteKit's cookies. */
export function appAccounts(): Promise<{ auth: Auth; throttle: SignInThrottle }> {
	instance ??= appDatabase().then(({ db }) => ({
		auth: createAuth({
			db,
			baseURL: publicOrigin(),
			// BETTER_AUTH_SECRET, else one kept in data/auth-secret: `npm start` needs no configuration.
			secret: serverSecret({ value: config().auth.secret, file: config().auth.secretFile }),
			sendMail,
			plugins: [sveltekitCookies(getRequestEvent)]
		}),
		throttle: createSignInThrottle(db)
	}));
	return instance;
}
