import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';

// Signing out changes state, so only by POST (the button in the workspace); a GET goes home.
export const load: PageServerLoad = ({ locals }) => redirect(303, localizePath(locals.locale, '/'));

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const { auth } = await appAccounts();
		if (locals.user) await auth.api.signOut({ headers: request.headers });
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?notice=signed-out`);
	}
};
