import { fail } from '@sveltejs/kit';
import type { Actions } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';
import { requestPasswordReset } from '#lib/server/accounts/sign-in.ts';
import { forAction } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';

export const actions: Actions = {
	default: async ({ request, locals, getClientAddress }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		const { auth, throttle } = await appAccounts();
		const setPassword = publicOrigin() + localizePath(locals.locale, '/reset-password/new');
		return forAction(locals.locale, values, async () => {
			const sent = await requestPasswordReset(auth, throttle, form, { ip: getClientAddress() }, setPassword);
			if (!sent) {
				const message = messages(locals.locale).accounts.auth.resetTooMany;
				return fail(429, { ...values, problems: [{ field: 'email', message }] });
			}
			// The same answer whether or not the account exists.
			return { sent: true };
		});
	}
};
