import type { Actions, PageServerLoad } from './$types';
import { formValues, requestForm } from '#lib/server/kernel/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { readReplyToken, replyShape, reportShape } from '#lib/server/partner-search/input.ts';
import { answerWindowDays, findContactRequest } from '#lib/server/partner-search/contact-requests/queries.ts';
import {
	answerContactRequest,
	reportContactRequest
} from '#lib/server/partner-search/contact-requests/commands.ts';

// The token in the address is the credential: a token of the wrong shape is a 404 like an unknown
// one, the error log names the route and never the address (hooks.server.ts), and the page is
// neither stored by caches nor named to other sites in a Referer header. The policy is
// "same-origin", not "no-referrer": under "no-referrer" the browser sends `Origin: null` with the
// page's own form POSTs, and SvelteKit's cross-site check refuses them.

const headers = { 'cache-control': 'no-store', 'referrer-policy': 'same-origin' };

// The headers are set here only: after a form action the load runs in the same request, and
// setting a header twice is an error.
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	setHeaders(headers);
	return forPage(locals.locale, async () => ({
		request: await findContactRequest(await db(), readReplyToken(params.token), locals.locale),
		days: answerWindowDays
	}));
};

export const actions: Actions = {
	answer: async ({ request, locals, params }) => {
		const sent = formValues((await requestForm(request)) ?? new FormData(), replyShape);
		const values = { form: 'answer', reply: typeof sent.reply === 'string' ? sent.reply : '' };
		return forAction(locals.locale, values, async () => {
			await answerContactRequest(await db(), readReplyToken(params.token), sent);
			return { answered: true };
		});
	},
	report: async ({ request, locals, params }) => {
		const sent = formValues((await requestForm(request)) ?? new FormData(), reportShape);
		const values = { form: 'report', reason: typeof sent.reason === 'string' ? sent.reason : '' };
		return forAction(locals.locale, values, async () => {
			await reportContactRequest(await db(), readReplyToken(params.token), sent);
			return { reported: true };
		});
	}
};
