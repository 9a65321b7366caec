import type { RequestHandler } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { unsubscribe } from '#lib/server/dialogue/notifications/unsubscribe.ts';

// One-click unsubscribe (RFC 8058): a mail program POSTs `List-Unsubscribe=One-Click` here, with
// no cookies, no Origin and no page in between (src/hooks.server.ts lets this one route take a form
// from outside). A browser's form (it asks for HTML) goes to the page's action instead.

export const POST: RequestHandler = async ({ locals, params, request }) => {
	await requestForm(request);
	try {
		await unsubscribe(await db(), params.token, locals.locale);
	} catch (e) {
		if (!(e instanceof NotFoundError)) throw e;
		return new Response(messages(locals.locale).dialogue.notifications.unsubscribe.invalid, {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return new Response(messages(locals.locale).dialogue.notifications.unsubscribe.oneClickDone, {
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};
