import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages, plural } from '#lib/i18n/index.ts';
import { publicOrigin } from '#lib/server/app/accounts.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import {
	ContactLimitError,
	contactChoices,
	getProfile,
	sendContactRequest
} from '#lib/server/partner-search/service.ts';
import { formRecord } from '#lib/server/partner-search/validation.ts';
import { partnerSearchPolicy } from '#lib/server/partner-search/policy.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const database = await db();
	const id = Number(params.id);
	const profile = await forPage(locals.locale, () => getProfile(database, locals.locale, id));
	return { profile, contact: await contactChoices(database, locals.user, locals.locale, id) };
};

export const actions: Actions = {
	contact: async ({ request, locals, params }) => {
		const raw = formRecord(await request.formData());
		const values = {
			message: typeof raw.message === 'string' ? raw.message : '',
			organization: typeof raw.organization === 'string' ? raw.organization : ''
		};
		try {
			return await forAction(locals.locale, values, async () => {
				await sendContactRequest(await db(), locals.user, Number(params.id), raw, {
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
