import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ForbiddenError, NotFoundError } from '#lib/server/kernel/errors.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { readFlagQuery } from '#lib/server/dialogue/moderation/input.ts';
import { flagTarget } from '#lib/server/dialogue/moderation/queries.ts';
import { flag } from '#lib/server/dialogue/moderation/commands.ts';

// Report a proposal (`?proposal=<id>`) or a comment (`?comment=<id>`) to the space's moderators:
// a reason from the list, one POST, then back to the page it is on. Works without JavaScript.
export const csr = false;

/** The thing named in the address, in this space (404 when it is elsewhere or not public). */
async function targetIn(space: string, params: URLSearchParams) {
	const target = readFlagQuery(params);
	const found = await flagTarget(await db(), target);
	if (found.spaceSlug !== space) throw new NotFoundError('Flagged input');
	return { target, found };
}

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	return forPage(locals.locale, async () => {
		const { target, found } = await targetIn(params.space, url.searchParams);
		return { target, found };
	});
};

export const actions: Actions = {
	default: async ({ request, locals, params, url, getClientAddress }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const reason = form.get('reason');
		const result = await forAction(
			locals.locale,
			{ reason: typeof reason === 'string' ? reason : '' },
			async () => {
				// Signed out: to sign in first, whatever was sent.
				if (!locals.user) throw new ForbiddenError(true);
				// The address names the thing; the form carries only the reason.
				const { target, found } = await targetIn(params.space, url.searchParams);
				const sent = new FormData();
				sent.set(target.kind, String(target.id));
				if (typeof reason === 'string') sent.set('reason', reason);
				await flag(await db(), locals.user, sent, { clientAddress: getClientAddress() });
				return { back: found.back };
			}
		);
		if ('back' in result) {
			const [path, hash] = result.back.split('#');
			redirect(303, `${localizePath(locals.locale, path!)}?flagged=1${hash ? `#${hash}` : ''}`);
		}
		return result;
	}
};
