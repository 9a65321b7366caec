import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { authorize } from '#lib/server/kernel/policy.ts';
import { db } from '#lib/server/app/database.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';
import { dialoguePolicy } from '#lib/server/dialogue/policy.ts';
import { maxPhases, newSpaceFormValues, spaceFormValues } from '#lib/server/dialogue/spaces/input.ts';
import { ownerOptions } from '#lib/server/dialogue/spaces/pickers.ts';
import { createSpace } from '#lib/server/dialogue/spaces/commands.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		authorize(locals.user, dialoguePolicy.createSpace);
		const database = await db();
		const [owners, pickers] = await Promise.all([
			ownerOptions(database, locals.user, locals.locale),
			tagOptions(database, locals.locale)
		]);
		return {
			owners,
			maxPhases,
			themes: pickers.themes,
			goals: pickers.goals,
			targets: pickers.targets,
			values: newSpaceFormValues()
		};
	});

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const values = spaceFormValues((await requestForm(request)) ?? new FormData());
		const result = await forAction(locals.locale, { values }, async () =>
			createSpace(await db(), locals.user, values)
		);
		// `?created`: the space's page says it was made.
		if (typeof result === 'string')
			redirect(303, `${localizePath(locals.locale, `/dialogue/${result}`)}?created`);
		return result;
	}
};
