import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { db } from '#lib/server/app/database.ts';
import { readAnswerQuery } from '#lib/server/dialogue/answers/input.ts';
import { answerPage, workRights } from '#lib/server/dialogue/answers/queries.ts';
import { deleteDraft, saveDraft } from '#lib/server/dialogue/answers/commands.ts';
import { sentText, signInFirst } from '../../work.ts';

// One proposal to answer: the proposal, its published answers, and the draft form (filled from
// the draft, a template chosen with `?template=<id>`, or the latest published answer).
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return forPage(locals.locale, async () => {
		const database = await db();
		const query = readAnswerQuery(url.searchParams);
		const page = await answerPage(database, locals.user, params.space, params.id, query);
		return {
			...page,
			space: {
				slug: page.space.slug,
				title: pick(page.space.title, locals.locale),
				languages: page.space.languages
			},
			rights: await workRights(locals.user, page.space),
			fromTemplate: query.template !== undefined
		};
	});
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: sentText(form) }, async () => {
			await saveDraft(await db(), locals.user, params.space, form);
			return { saved: true };
		});
	},
	delete: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const result = await forAction(locals.locale, { deleting: true }, async () => {
			await deleteDraft(await db(), locals.user, params.space, form);
			return { deleted: true };
		});
		if ('deleted' in result) redirect(303, localizePath(locals.locale, `/dialogue/${params.space}/manage`));
		return result;
	}
};
