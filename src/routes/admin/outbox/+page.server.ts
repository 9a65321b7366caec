import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { forPage } from '#lib/server/core/http.ts';
import { authorize, workspace } from '#lib/server/core/permissions.ts';
import { readOutbox } from '#lib/server/mail/mailer.ts';

export const load: PageServerLoad = async ({ locals }) => {
	await forPage(locals.locale, () => authorize(locals.user, workspace.readOutbox));
	const outbox = await readOutbox();
	// With SMTP configured there is no outbox to show.
	if (!outbox) error(404, messages(locals.locale).errors.notFound);
	return { outbox };
};
