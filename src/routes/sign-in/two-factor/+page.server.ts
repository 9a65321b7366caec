import { fail, redirect } from '@sveltejs/kit';
import { isAPIError } from 'better-auth/api';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, localTarget(url.searchParams.get('to'), localizePath(locals.locale, '/admin')));
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const code = String((await request.formData()).get('code') ?? '')
			.replace(/\s+/g, '')
			.slice(0, 40);
		const { auth } = await appAccounts();
		try {
			// Six digits from the app, or one of the single-use backup codes.
			if (/^\d{6}$/.test(code)) await auth.api.verifyTOTP({ body: { code }, headers: request.headers });
			else await auth.api.verifyBackupCode({ body: { code }, headers: request.headers });
		} catch (error) {
			if (isAPIError(error)) return fail(400, { error: messages(locals.locale).accounts.auth.badCode });
			throw error;
		}
		redirect(303, localTarget(url.searchParams.get('to'), localizePath(locals.locale, '/admin')));
	}
};
