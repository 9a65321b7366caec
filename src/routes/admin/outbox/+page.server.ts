import type { Actions, PageServerLoad } from './$types';
import { formValues, requestForm } from '#lib/server/kernel/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readOutbox } from '#lib/server/kernel/mail.ts';
import { db } from '#lib/server/app/database.ts';
import { mailQueue, resendMail, resendShape } from '#lib/server/app/mail-queue.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const queue = await mailQueue(await db(), locals.user);
		// The .eml files of development (no SMTP_URL); null when mail goes over SMTP.
		return { queue, folder: await readOutbox() };
	});

export const actions: Actions = {
	resend: async ({ request, locals }) => {
		const sent = formValues((await requestForm(request)) ?? new FormData(), resendShape);
		const values = { id: typeof sent.id === 'string' ? sent.id : '' };
		return forAction(locals.locale, values, async () => ({
			resent: await resendMail(await db(), locals.user, sent)
		}));
	}
};
