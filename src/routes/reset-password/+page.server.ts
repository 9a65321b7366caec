import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';

export const actions: Actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const m = messages(locals.locale).accounts.auth;
		const email = String((await request.formData()).get('email') ?? '')
			.trim()
			.slice(0, 254);
		const { auth, throttle } = await appAccounts();
		if (!(await throttle.resetAllowed(getClientAddress())))
			return fail(429, { email, error: m.resetTooMany });
		if (email.includes('@')) {
			await auth.api.requestPasswordReset({
				body: { email, redirectTo: publicOrigin() + localizePath(locals.locale, '/reset-password/new') }
			});
		}
		// The same answer whether or not the account exists.
		return { sent: true };
	}
};
