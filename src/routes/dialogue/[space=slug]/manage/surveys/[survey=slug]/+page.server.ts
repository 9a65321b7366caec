import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { decideText } from '#lib/server/dialogue/surveys/commands.ts';
import { surveyTexts } from '#lib/server/dialogue/surveys/builder.ts';
import { signInFirst } from '../../work.ts';

// The space's moderators review free-text answers before they are public.
export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return forPage(locals.locale, async () =>
		surveyTexts(await db(), locals.user, params.space, params.survey, locals.locale)
	);
};

export const actions: Actions = {
	decide: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await decideText(await db(), locals.user, params.space, params.survey, form);
			return { decided: true };
		});
	}
};
