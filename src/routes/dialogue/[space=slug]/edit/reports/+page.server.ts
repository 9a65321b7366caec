import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { reportSetupForm, saveReportSetup } from '#lib/server/dialogue/map-reports/setup.ts';
import { createOpen311Key, revokeOpen311Key } from '#lib/server/dialogue/map-reports/open311-keys.ts';
import { signInFirst } from '../../manage/work.ts';

// Whoever runs the space sets up its reports on a map: a plain form that works without script.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return forPage(locals.locale, async () =>
		reportSetupForm(await db(), locals.user, params.space, locals.locale)
	);
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await saveReportSetup(await db(), locals.user, params.space, form);
			return { saved: true };
		});
	},
	// The key is shown once, on the page this answers with; only its hash is kept.
	createKey: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => ({
			newKey: await createOpen311Key(await db(), locals.user, params.space, form)
		}));
	},
	revokeKey: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await revokeOpen311Key(await db(), locals.user, params.space, form);
			return { revoked: true };
		});
	}
};
