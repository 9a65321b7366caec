import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { authorize } from '#lib/server/kernel/policy.ts';
import { readOutbox } from '#lib/server/kernel/mail.ts';
import { accountsPolicy } from '#lib/server/accounts/policy.ts';

export const load: PageServerLoad = async ({ locals }) => {
	await forPage(locals.locale, () => authorize(locals.user, accountsPolicy.readOutbox));
	const outbox = await readOutbox();
	// With SMTP configured there is no outbox to show.
	if (!outbox) error(404, messages(locals.locale).errors.notFound);
	return { outbox };
};
