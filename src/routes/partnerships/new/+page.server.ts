import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { authorize } from '#lib/server/kernel/policy.ts';
import { db } from '#lib/server/app/database.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';
import { partnershipFormValues } from '#lib/server/partnerships/input.ts';
import { organizationOptions } from '#lib/server/partnerships/pickers.ts';
import { createPartnership } from '#lib/server/partnerships/commands.ts';
import { partnershipsPolicy } from '#lib/server/partnerships/policy.ts';
import { leadImageOptions } from '#lib/server/partnerships/space/queries.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		authorize(locals.user, partnershipsPolicy.create);
		const database = await db();
		const [organizations, pickers, leadImages] = await Promise.all([
			organizationOptions(database, locals.locale),
			tagOptions(database, locals.locale),
			leadImageOptions(database)
		]);
		return {
			organizations,
			themes: pickers.themes,
			goals: pickers.goals,
			targets: pickers.targets,
			leadImages,
			values: partnershipFormValues(new FormData())
		};
	});

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const values = partnershipFormValues((await requestForm(request)) ?? new FormData());
		const result = await forAction(locals.locale, { values }, async () =>
			createPartnership(await db(), locals.user, { ...values, status: values.status || 'inception' })
		);
		// `?created`: the partnership's page says it was made.
		if (typeof result === 'string')
			redirect(303, `${localizePath(locals.locale, `/partnerships/${result}`)}?created`);
		return result;
	}
};
