import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { completeOidc } from '#lib/server/dialogue/verification/oidc.ts';
import { oidcProblems, type OidcProblem } from '#lib/server/dialogue/verification/input.ts';
import { takePending } from '../oidc-cookie.ts';

// The provider sends the participant back here (the redirect address registered with it): the
// code is exchanged and checked, the verification recorded, and the participant lands on the
// verify page saying how it went, in the language they started in.
export const GET: RequestHandler = async ({ url, locals, cookies, getClientAddress }) => {
	const pending = takePending(cookies);
	const locale = pending?.locale ?? locals.locale;
	const { space, to } = pending ?? {};
	const verifyPage = (params: Record<string, string>) =>
		localizePath(
			locale,
			`/dialogue/verify?${new URLSearchParams({ ...(space ? { space } : {}), ...(to ? { to } : {}), ...params })}`
		);
	if (!locals.user) {
		redirect(303, `${localizePath(locale, '/sign-in')}?to=${encodeURIComponent(verifyPage({}))}`);
	}
	const user = locals.user;
	const problem = await forPage(locale, () =>
		db()
			.then((database) => completeOidc(database, user, url, pending, { ip: getClientAddress() }))
			.then(
				() => null,
				(e) => {
					if (e instanceof ValidationError) {
						const code = String(e.problems[0]?.code);
						return (oidcProblems as readonly string[]).includes(code)
							? (code as OidcProblem)
							: 'verifyOidcFailed';
					}
					throw e;
				}
			)
	);
	redirect(303, verifyPage(problem ? { problem } : { done: '1' }));
};
