import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import type { ArticleFormValues } from '#lib/server/content/workspace/input.ts';
import { editorMedia, editorOptions } from '#lib/server/content/workspace/queries.ts';
import { createArticle } from '#lib/server/content/workspace/commands.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const [options, media] = await Promise.all([
			editorOptions(database, locals.user, locals.locale),
			editorMedia(database, locals.user)
		]);
		return { options, media, values: {} as ArticleFormValues };
	});

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const result = await forAction(locals.locale, { values: typedValues(form) }, async () =>
			createArticle(await db(), locals.user, form)
		);
		if (typeof result === 'number')
			redirect(303, `${localizePath(locals.locale, `/admin/articles/${result}`)}?created`);
		return result;
	}
};
