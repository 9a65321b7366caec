import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ForbiddenError } from '#lib/server/kernel/errors.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { db } from '#lib/server/app/database.ts';
import { answerWork, spaceBySlug, workRights } from '#lib/server/dialogue/answers/queries.ts';
import { deleteDraft, publishDrafts } from '#lib/server/dialogue/answers/commands.ts';
import { spaceFigures } from '#lib/server/dialogue/figures.ts';
import { signInFirst } from './work.ts';

// The space's work page for its answerers: what to answer (overdue first) and the drafts to
// publish together. Moderators without the right to answer go to their own page.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return forPage(locals.locale, async () => {
		const database = await db();
		const rights = await workRights(locals.user, await spaceBySlug(database, params.space));
		if (!rights.answer && rights.moderate)
			redirect(303, localizePath(locals.locale, `/dialogue/${params.space}/manage/moderation`));
		if (!rights.answer) throw new ForbiddenError();
		const work = await answerWork(database, locals.user, params.space, locals.locale);
		const figures = await spaceFigures(database, work.space.id);
		return {
			...work,
			figures,
			space: { slug: work.space.slug, title: pick(work.space.title, locals.locale) },
			rights
		};
	});
};

export const actions: Actions = {
	publish: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { publishing: true }, async () => ({
			published: (await publishDrafts(await db(), locals.user, params.space, form)).published
		}));
	},
	deleteDraft: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { publishing: true }, async () => {
			await deleteDraft(await db(), locals.user, params.space, form);
			return { deleted: true };
		});
	}
};
