import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { articleFormValues, emptyArticleForm, parseArticleForm } from '#lib/server/content/article-form.ts';
import { createArticle, editorMedia, editorOptions } from '#lib/server/content/editing.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const [options, media] = await Promise.all([
			editorOptions(database, locals.user, locals.locale),
			editorMedia(database, locals.user)
		]);
		return { options, media, values: emptyArticleForm() };
	});

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const values = articleFormValues(await request.formData());
		const result = await forAction(locals.locale, { values }, async () =>
			createArticle(await db(), locals.user, parseArticleForm(values))
		);
		if (typeof result === 'number')
			redirect(303, `${localizePath(locals.locale, `/admin/articles/${result}`)}?created`);
		return result;
	}
};
