import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { db } from '#lib/server/app/database.ts';
import { countryList } from '#lib/server/kernel/countries.ts';
import {
	createOrganization,
	listEditableOrganizations,
	organizationFormValues,
	parseOrganizationForm,
	updateOrganization
} from '#lib/server/organizations/service.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => ({
		organizations: await listEditableOrganizations(await db(), locals.user),
		countries: countryList(locals.locale).filter((c) => c.code !== 'SE')
	}));

const id = z
	.string()
	.regex(/^[1-9]\d{0,8}$/)
	.transform(Number);

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const values = organizationFormValues(await request.formData());
		return forAction(locals.locale, { values }, async () => {
			const slug = await createOrganization(await db(), locals.user, parseOrganizationForm(values));
			return { created: slug };
		});
	},
	update: async ({ request, locals }) => {
		const form = await request.formData();
		const values = organizationFormValues(form);
		const which = String(form.get('id') ?? '');
		return forAction(locals.locale, { values, which }, async () => {
			const parsed = id.safeParse(which);
			if (!parsed.success) throw new ValidationError([{ field: 'id', code: 'unknownOrganization' }]);
			await updateOrganization(await db(), locals.user, parsed.data, parseOrganizationForm(values));
			return { updated: true };
		});
	}
};
