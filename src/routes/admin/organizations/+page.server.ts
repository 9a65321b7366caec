import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { countryList } from '#lib/server/kernel/countries.ts';
import { db } from '#lib/server/app/database.ts';
import { listEditableOrganizations } from '#lib/server/organizations/queries.ts';
import { createOrganization, updateOrganization } from '#lib/server/organizations/commands.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => ({
		organizations: await listEditableOrganizations(await db(), locals.user),
		countries: countryList(locals.locale).filter((c) => c.code !== 'SE')
	}));

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => ({
			created: await createOrganization(await db(), locals.user, form)
		}));
	},
	update: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		return forAction(locals.locale, { values, which: String(values.id ?? '') }, async () => {
			await updateOrganization(await db(), locals.user, form);
			return { updated: true };
		});
	}
};
