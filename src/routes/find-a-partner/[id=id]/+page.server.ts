import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages, plural } from '#lib/i18n/index.ts';
import { publicOrigin } from '#lib/server/app/accounts.ts';
import { formValues, requestForm } from '#lib/server/kernel/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { contactShape } from '#lib/server/partner-search/input.ts';
import { getProfile } from '#lib/server/partner-search/profiles/queries.ts';
import { contactChoices } from '#lib/server/partner-search/contact-requests/queries.ts';
import {
	ContactLimitError,
	sendContactRequest
} from '#lib/server/partner-search/contact-requests/commands.ts';

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const [profile, contact] = await Promise.all([
			getProfile(database, locals.locale, params.id),
			contactChoices(database, locals.user, locals.locale, params.id)
		]);
		return { profile, contact };
	});

export const actions: Actions = {
	contact: async ({ request, locals, params }) => {
		const sent = formValues((await requestForm(request)) ?? new FormData(), contactShape);
		const values = {
			message: typeof sent.message === 'string' ? sent.message : '',
			organization: typeof sent.organization === 'string' ? sent.organization : ''
		};
		try {
			return await forAction(locals.locale, values, async () => {
				await sendContactRequest(await db(), locals.user, params.id, sent, {
					origin: publicOrigin(),
					locale: locals.locale
				});
				return { sent: true };
			});
		} catch (e) {
			if (!(e instanceof ContactLimitError)) throw e;
			// Too many today: the form says so and keeps the text (429, not an error page).
			const t = messages(locals.locale).partnerSearch.contact;
			const hours = Math.max(1, Math.ceil(e.retryAfterSeconds / 3600));
			return fail(429, {
				...values,
				limited: true,
				problems: [{ field: 'form', message: `${t.limited} ${plural(locals.locale, t.retry, hours)}` }]
			});
		}
	}
};
