import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { surveysToEdit } from '#lib/server/dialogue/surveys/builder.ts';
import { createSurvey } from '#lib/server/dialogue/surveys/commands.ts';
import { signInFirst } from '../../manage/work.ts';

// Whoever runs the space lists its surveys and makes a new one: a plain form without script.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return forPage(locals.locale, async () =>
		surveysToEdit(await db(), locals.user, params.space, locals.locale)
	);
};

export const actions: Actions = {
	create: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const slug = await forAction(locals.locale, { values: typedValues(form) }, async () =>
			createSurvey(await db(), locals.user, params.space, form)
		);
		if (typeof slug !== 'string') return slug;
		redirect(303, localizePath(locals.locale, `/dialogue/${params.space}/edit/surveys/${slug}?created`));
	}
};
