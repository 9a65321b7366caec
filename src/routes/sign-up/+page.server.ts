import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { db } from '#lib/server/app/database.ts';
import { signUp } from '#lib/server/accounts/sign-up.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';
import { returnQuery } from '#lib/server/accounts/input.ts';

/** Someone signed in already has an account: their account page instead. */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, localizePath(locals.locale, '/account'));
	return { to: await forPage(locals.locale, () => backTo(url)) };
};

/** The page the person came from (`?to=`, a path on this site only), to come back to after. */
const backTo = (url: URL) => localTarget(readQuery(url.searchParams, returnQuery).to ?? null, '') || null;

export const actions: Actions = {
	/**
	 * A resident's own account (a reader): the answer is the same whether or not the address has
	 * one already; what was typed comes back with a message per field (never the password).
	 */
	default: async ({ request, locals, url, getClientAddress }) => {
		if (locals.user) redirect(303, localizePath(locals.locale, '/account'));
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		const { auth, throttle } = await appAccounts();
		// The confirmation link signs the person in and brings them to their account, in the
		// language they chose (unknown → the page's; the form's own check then names it), with a
		// link back to the page they signed up from.
		const chosen = form.get('lang') === 'en' ? 'en' : form.get('lang') === 'sv' ? 'sv' : locals.locale;
		const to = await forPage(locals.locale, () => backTo(url));
		const afterVerification = `${localizePath(chosen, '/account')}?welcome${to ? `&to=${encodeURIComponent(to)}` : ''}`;
		return forAction(locals.locale, values, async () => {
			const outcome = await signUp(
				auth,
				throttle,
				await db(),
				form,
				{ ip: getClientAddress(), userAgent: request.headers.get('user-agent') },
				afterVerification
			);
			if (!outcome.ok) {
				const message = messages(locals.locale).accounts.signUp.tooMany;
				return fail(429, { ...values, problems: [{ field: 'form', message }] });
			}
			return { sent: true, email: outcome.email };
		});
	}
};
