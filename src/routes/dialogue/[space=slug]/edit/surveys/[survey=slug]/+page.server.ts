import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { surveyToEdit } from '#lib/server/dialogue/surveys/builder.ts';
import { saveSurvey } from '#lib/server/dialogue/surveys/commands.ts';
import { signInFirst } from '../../../manage/work.ts';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return {
		...(await forPage(locals.locale, async () =>
			surveyToEdit(await db(), locals.user, params.space, params.survey, locals.locale)
		)),
		created: url.searchParams.has('created')
	};
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await saveSurvey(await db(), locals.user, params.space, params.survey, form);
			return { saved: true };
		});
	}
};
