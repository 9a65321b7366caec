import { error, isHttpError, isRedirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages, type Locale } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { logger } from '#lib/server/kernel/logger.ts';
import { db } from '#lib/server/app/database.ts';
import {
	answerContactRequest,
	answerWindowDays,
	findContactRequest,
	reportContactRequest
} from '#lib/server/partner-search/service.ts';
import { formRecord, isReplyToken } from '#lib/server/partner-search/validation.ts';

// The token in the address is the credential: it is checked for shape first, never logged (an
// unexpected error is logged here without the path, and shown as a plain 500), and the page is
// neither stored by caches nor named to other sites in a Referer header. The policy is
// "same-origin", not "no-referrer": under "no-referrer" the browser sends `Origin: null` with the
// page's own form POSTs, and SvelteKit's cross-site check refuses them.

const headers = { 'cache-control': 'no-store', 'referrer-policy': 'same-origin' };

function checkedToken(locale: Locale, token: string): string {
	if (!isReplyToken(token)) error(404, messages(locale).errors.notFound);
	return token;
}

async function guarded<T>(locale: Locale, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		if (isHttpError(e) || isRedirect(e)) throw e;
		logger.error({ err: e }, 'The answer page of a contact request failed');
		error(500, messages(locale).errors.server);
	}
}

// The headers are set here only: after a form action the load runs in the same request, and
// setting a header twice is an error.
export const load: PageServerLoad = async ({ locals, params, setHeaders }) =>
	guarded(locals.locale, async () => {
		setHeaders(headers);
		const token = checkedToken(locals.locale, params.token);
		return {
			request: await forPage(locals.locale, async () => findContactRequest(await db(), token, locals.locale)),
			days: answerWindowDays
		};
	});

export const actions: Actions = {
	answer: async ({ request, locals, params }) => {
		const token = checkedToken(locals.locale, params.token);
		const raw = formRecord(await request.formData());
		const values = { form: 'answer', reply: typeof raw.reply === 'string' ? raw.reply : '' };
		return guarded(locals.locale, () =>
			forAction(locals.locale, values, async () => {
				await answerContactRequest(await db(), token, raw);
				return { answered: true };
			})
		);
	},
	report: async ({ request, locals, params }) => {
		const token = checkedToken(locals.locale, params.token);
		const raw = formRecord(await request.formData());
		const values = { form: 'report', reason: typeof raw.reason === 'string' ? raw.reason : '' };
		return guarded(locals.locale, () =>
			forAction(locals.locale, values, async () => {
				await reportContactRequest(await db(), token, raw);
				return { reported: true };
			})
		);
	}
};
