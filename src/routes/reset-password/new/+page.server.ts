import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { choosePassword } from '#lib/server/accounts/sign-in.ts';
import { resetQuery } from '#lib/server/accounts/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { token } = await forPage(locals.locale, () => readQuery(url.searchParams, resetQuery, 'accounts'));
	return { token: token ?? '' };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		const failed = await forAction(locals.locale, {}, async () => {
			await choosePassword(auth, form);
			return null;
		});
		if (failed) return failed;
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?notice=password-changed`);
	}
};
