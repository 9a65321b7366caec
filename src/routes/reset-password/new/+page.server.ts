import { fail, redirect } from '@sveltejs/kit';
import { isAPIError } from 'better-auth/api';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { passwordProblem } from '#lib/server/accounts/password-policy.ts';

export const load: PageServerLoad = ({ url }) => ({
	token: url.searchParams.get('token')?.slice(0, 200) ?? ''
});

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const m = messages(locals.locale).accounts.auth;
		const form = await request.formData();
		const token = String(form.get('token') ?? '');
		const password = String(form.get('password') ?? '');
		// Checked as typed: nothing trimmed, nothing cut off.
		const problem = passwordProblem(password);
		if (problem) return fail(400, { error: messages(locals.locale).accounts.errors[`password-${problem}`] });
		const { auth } = await appAccounts();
		try {
			await auth.api.resetPassword({ body: { token, newPassword: password } });
		} catch (error) {
			if (isAPIError(error)) return fail(400, { error: m.tokenInvalid });
			throw error;
		}
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?notice=password-changed`);
	}
};
