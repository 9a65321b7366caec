import type { Actions, PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { publishAnalysis, saveQuotes } from '#lib/server/results/analysis/commands.ts';
import { quoteFormView } from '#lib/server/results/analysis/views.ts';

// The editors' page of a year's analysis: choose the quotes, preview the draft, publish a version.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => quoteFormView(await db(), locals.user, locals.locale, params.year));

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await saveQuotes(await db(), locals.user, params.year, form);
			return { saved: true };
		});
	},
	publish: async ({ locals, params }) =>
		forAction(locals.locale, { publishing: true }, async () => ({
			published: await publishAnalysis(await db(), locals.user, params.year)
		}))
};
