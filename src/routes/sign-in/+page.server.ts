import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages, plural } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { signIn, signInInput } from '#lib/server/accounts/sign-in.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';
import { db } from '#lib/server/app/database.ts';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user)
		redirect(303, localTarget(url.searchParams.get('to'), localizePath(locals.locale, '/admin')));
	return { notice: url.searchParams.get('notice') };
};

export const actions: Actions = {
	default: async ({ request, locals, url, getClientAddress }) => {
		const m = messages(locals.locale).accounts.auth;
		const form = await request.formData();
		const parsed = signInInput.safeParse({
			email: form.get('email') ?? '',
			password: form.get('password') ?? ''
		});
		const email = String(form.get('email') ?? '').slice(0, 254);
		if (!parsed.success) return fail(400, { email, error: m.invalid });
		const { auth, throttle } = await appAccounts();
		const outcome = await signIn(auth, throttle, await db(), {
			...parsed.data,
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent')
		});
		if (!outcome.ok) {
			if (outcome.reason === 'locked') {
				const minutes = Math.max(1, Math.ceil((outcome.waitSeconds ?? 60) / 60));
				return fail(429, { email, error: plural(locals.locale, m.locked, minutes) });
			}
			return fail(outcome.reason === 'unverified' ? 403 : 400, {
				email,
				error: outcome.reason === 'unverified' ? m.unverified : m.invalid
			});
		}
		const to = localTarget(url.searchParams.get('to'), localizePath(locals.locale, '/admin'));
		if (outcome.secondFactor) {
			redirect(303, `${localizePath(locals.locale, '/sign-in/two-factor')}?to=${encodeURIComponent(to)}`);
		}
		redirect(303, to);
	}
};
