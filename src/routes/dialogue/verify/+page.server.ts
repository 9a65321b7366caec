import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';
import { ForbiddenError, ValidationError } from '#lib/server/kernel/errors.ts';
import { db } from '#lib/server/app/database.ts';
import { verifyQueryShape } from '#lib/server/dialogue/verification/input.ts';
import { verificationConfigured } from '#lib/server/dialogue/verification/verifier.ts';
import { verifyWithCensus } from '#lib/server/dialogue/verification/census.ts';
import { oidcAvailable, startOidc } from '#lib/server/dialogue/verification/oidc.ts';
import type { OidcProblem } from '#lib/server/dialogue/verification/input.ts';
import { keepPending } from './oidc/oidc-cookie.ts';
import {
	censusOrganizations,
	spaceResidency,
	verificationsOf
} from '#lib/server/dialogue/verification/queries.ts';

// Verifying as a resident: the dialogue that sent the participant here (`?space=`) and whose
// residents it admits, where they are verified already, and the ways offered: the census form
// and e-identification; once verified, the way back (`?to=`, a path on this site, else the
// dialogue, else the list of dialogues). Works without JavaScript.
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	const user = locals.user;
	return forPage(locals.locale, async () => {
		const query = readQuery(url.searchParams, verifyQueryShape, 'dialogue');
		const database = await db();
		const configured = verificationConfigured();
		const [space, lists, mine] = await Promise.all([
			query.space ? spaceResidency(database, query.space, locals.locale) : null,
			configured ? censusOrganizations(database, locals.locale) : [],
			verificationsOf(database, user.id, locals.locale)
		]);
		return {
			configured,
			oidc: oidcAvailable(),
			space,
			lists,
			mine: mine.map((v) => ({ ...v, verifiedAt: v.verifiedAt.toISOString() })),
			done: query.done === '1',
			problem: query.problem ?? null,
			to: localTarget(query.to ?? null, '') || null
		};
	});
};

export const actions: Actions = {
	census: async ({ request, locals, url, getClientAddress }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = {
			organization: String(form.get('organization') ?? ''),
			identifier: String(form.get('identifier') ?? ''),
			postNumber: String(form.get('postNumber') ?? '')
		};
		const result = await forAction(locals.locale, { values }, async () => {
			if (!locals.user) throw new ForbiddenError(true);
			await verifyWithCensus(await db(), locals.user, form, { ip: getClientAddress() });
			return { verified: true };
		});
		if ('verified' in result) redirect(303, verifyPage(locals.locale, url, { done: '1' }));
		return result;
	},
	// The first step of e-identification: what to check on the way back goes into a short-lived
	// cookie, the browser to the provider (its address from its discovery document, not the request).
	oidc: async ({ request, locals, url, cookies }) => {
		await requestForm(request);
		if (!locals.user) {
			const back = verifyPage(locals.locale, url, {});
			redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(back)}`);
		}
		const user = locals.user;
		const { space, to } = readQuery(url.searchParams, verifyQueryShape, 'dialogue');
		const back = localTarget(to ?? null, '') || undefined;
		const started = await forPage(locals.locale, () =>
			startOidc(user, { space, to: back }).catch((e) => {
				if (e instanceof ValidationError) return e.problems[0]!.code as OidcProblem;
				throw e;
			})
		);
		if (typeof started === 'string') redirect(303, verifyPage(locals.locale, url, { problem: started }));
		keepPending(cookies, started.pending, locals.locale);
		redirect(303, started.url, { external: [new URL(started.url).origin] });
	}
};

/** Back to this page, for the same dialogue (`?space=`) and way back (`?to=`), saying how it went. */
function verifyPage(locale: Parameters<typeof localizePath>[0], url: URL, say: Record<string, string>) {
	const { space, to } = readQuery(url.searchParams, verifyQueryShape, 'dialogue');
	const back = localTarget(to ?? null, '');
	const query = new URLSearchParams({ ...say, ...(space ? { space } : {}), ...(back ? { to: back } : {}) });
	return localizePath(locale, `/dialogue/verify${query.size ? `?${query}` : ''}`);
}
