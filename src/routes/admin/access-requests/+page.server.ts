import type { Actions, PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { approveAccessRequest, refuseAccessRequest } from '#lib/server/organizations/members/commands.ts';
import { accessRequestQueue } from '#lib/server/organizations/members/queries.ts';
import { organizationOptions } from '#lib/server/partnerships/pickers.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const queue = await accessRequestQueue(database, locals.user, locals.locale);
		return {
			...queue,
			// The picker only for a request naming an organization that is not on the platform yet.
			organizations: queue.pending.some((r) => !r.organization)
				? await organizationOptions(database, locals.locale)
				: null
		};
	});

// A failure names the request it was about, so the page shows the message by it.
export const actions: Actions = {
	approve: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		return forAction(locals.locale, { values, which: String(values.request ?? '') }, async () => {
			await approveAccessRequest(await db(), locals.user, form);
			return { approved: true };
		});
	},
	refuse: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		return forAction(locals.locale, { values, which: String(values.request ?? '') }, async () => {
			await refuseAccessRequest(await db(), locals.user, form);
			return { refused: true };
		});
	}
};
