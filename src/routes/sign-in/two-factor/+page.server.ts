import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { verifySecondFactor } from '#lib/server/accounts/sign-in.ts';
import { returnQuery } from '#lib/server/accounts/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';

/**
 * Where to go on: a path on this site, with what is not printable ASCII percent-encoded (a
 * Location header carries nothing else; `%XX` already in it stays as it is).
 */
const onward = (to: string | undefined, fallback: string) =>
	localTarget(to ?? null, fallback)
		.toWellFormed()
		.replace(/[^\x21-\x7e]+/g, encodeURIComponent);

export const load: PageServerLoad = async ({ locals, url }) => {
	const { to } = await forPage(locals.locale, () => readQuery(url.searchParams, returnQuery, 'accounts'));
	if (locals.user) redirect(303, onward(to, localizePath(locals.locale, '/admin')));
};

export const actions: Actions = {
	default: async ({ request, locals, url }) => {
		const { to } = await forPage(locals.locale, () => readQuery(url.searchParams, returnQuery, 'accounts'));
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		const failed = await forAction(locals.locale, {}, async () => {
			await verifySecondFactor(auth, form, request.headers);
			return null;
		});
		if (failed) return failed;
		redirect(303, onward(to, localizePath(locals.locale, '/admin')));
	}
};
