import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ForbiddenError } from '#lib/server/kernel/errors.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { db } from '#lib/server/app/database.ts';
import { answerWork, workRights } from '#lib/server/dialogue/answers/queries.ts';
import { workPageShape } from '#lib/server/dialogue/answers/input.ts';
import { readSpace } from '#lib/server/dialogue/spaces/queries.ts';
import { deleteDraft, publishDrafts } from '#lib/server/dialogue/answers/commands.ts';
import { spaceFigures } from '#lib/server/dialogue/figures.ts';
import { signInFirst } from './work.ts';

// The space's work page for its answerers: what to answer (overdue first) and the drafts to
// publish together. Moderators without the right to answer go to their own page.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	const work = await forPage(locals.locale, async () => {
		const database = await db();
		const { page } = readQuery(url.searchParams, workPageShape, 'dialogue');
		const space = await readSpace(database, { slug: params.space });
		const rights = await workRights(locals.user, space);
		if (!rights.answer && rights.moderate)
			redirect(303, localizePath(locals.locale, `/dialogue/${params.space}/manage/moderation`));
		if (!rights.answer) throw new ForbiddenError();
		const work = await answerWork(database, locals.user, space, locals.locale, page);
		const figures = await spaceFigures(database, work.space.id);
		return {
			...work,
			figures,
			space: { slug: work.space.slug, title: pick(work.space.title, locals.locale) },
			rights
		};
	});
	if (work.toAnswer.page > work.toAnswer.pages) error(404, messages(locals.locale).errors.notFound);
	return work;
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
