import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { unsubscribe, unsubscribeView } from '#lib/server/dialogue/notifications/unsubscribe.ts';
import type { Locale } from '#lib/i18n/locales.ts';

// The unsubscribe link of a notification mail, without signing in: the page says what it stops
// and offers one button (opening the link changes nothing: mail scanners open links). The mail
// program's one-click POST goes to +server.ts beside this page.

/** A link that is not ours (or was cut short) is a 404 that says so. */
async function withLink<T>(locale: Locale, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		// Before forPage, which would answer any 404 with the generic text.
		if (e instanceof NotFoundError) error(404, messages(locale).dialogue.notifications.unsubscribe.invalid);
		return forPage(locale, () => {
			throw e;
		});
	}
}

export const load: PageServerLoad = async ({ locals, params }) => ({
	view: await withLink(locals.locale, async () => unsubscribeView(await db(), params.token, locals.locale))
});

export const actions: Actions = {
	default: async ({ locals, params, request }) => {
		await requestForm(request);
		const done = await withLink(locals.locale, async () =>
			unsubscribe(await db(), params.token, locals.locale)
		);
		return { done };
	}
};
