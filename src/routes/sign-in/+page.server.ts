import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages, plural } from '#lib/i18n/index.ts';
import type { Locale } from '#lib/i18n/locales.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { db } from '#lib/server/app/database.ts';
import { landingOf } from '#lib/server/app/landing.ts';
import { signIn } from '#lib/server/accounts/sign-in.ts';
import { signInQuery } from '#lib/server/accounts/input.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';
import { staff } from '#lib/server/kernel/policy.ts';

/**
 * Where to go on: a path on this site, with what is not printable ASCII percent-encoded (a
 * Location header carries nothing else; `%XX` already in it stays as it is).
 */
const onward = (to: string | undefined, fallback: string) =>
	localTarget(to ?? null, fallback)
		.toWellFormed()
		.replace(/[^\x21-\x7e]+/g, encodeURIComponent);

/**
 * Where a signed-in person goes: where they were going, else where their work is (`landingOf`:
 * staff to the workspace, a coordinator to their partnership, …). The workspace is no landing
 * for someone who may not enter it: they go to their own place, not to a 403.
 */
async function landing(
	to: string | undefined,
	who: { staff: boolean; id: string | null },
	locale: Locale
): Promise<string> {
	const own = who.staff
		? '/admin'
		: who.id
			? await landingOf(await db(), { id: who.id, role: 'reader' })
			: '/account';
	const home = localizePath(locale, own);
	const target = onward(to, home);
	return !who.staff && /^\/([a-z]{2}\/)?admin(\/|\?|#|$)/.test(target) ? home : target;
}
const isStaff = (role: string) => (staff as readonly string[]).includes(role);

export const load: PageServerLoad = async ({ locals, url }) => {
	const { to, notice } = await forPage(locals.locale, () =>
		readQuery(url.searchParams, signInQuery, 'accounts')
	);
	if (locals.user)
		redirect(303, await landing(to, { staff: isStaff(locals.user.role), id: locals.user.id }, locals.locale));
	return { notice: notice ?? null };
};

export const actions: Actions = {
	default: async ({ request, locals, url, getClientAddress }) => {
		const m = messages(locals.locale).accounts.auth;
		const { to } = await forPage(locals.locale, () => readQuery(url.searchParams, signInQuery, 'accounts'));
		const form = (await requestForm(request)) ?? new FormData();
		const typed = typedValues(form).email;
		const email = typeof typed === 'string' ? typed : '';
		// Whatever went wrong, it is said at the address (the answer never tells which part was wrong).
		const failure = (status: number, message: string) =>
			fail(status, { email, problems: [{ field: 'email', message }] });
		const { auth, throttle } = await appAccounts();
		const outcome = await signIn(auth, throttle, await db(), form, {
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent')
		});
		if (!outcome.ok) {
			if (outcome.reason === 'locked') {
				const minutes = Math.max(1, Math.ceil((outcome.waitSeconds ?? 60) / 60));
				return failure(429, plural(locals.locale, m.locked, minutes));
			}
			if (outcome.reason === 'unverified') return failure(403, m.unverified);
			return failure(400, m.invalid);
		}
		const target = await landing(to, { staff: outcome.staff, id: outcome.userId }, locals.locale);
		if (outcome.secondFactor) {
			redirect(303, `${localizePath(locals.locale, '/sign-in/two-factor')}?to=${encodeURIComponent(target)}`);
		}
		redirect(303, target);
	}
};
