import type { Actions, PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { fields, readQuery } from '#lib/server/kernel/input.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { commentActions, loadThread } from '#lib/server/dialogue/comments/page.ts';

// The space's own debate: its comments without a proposal, 20 threads a page, and the form.

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const { spaceTitle, spaceStatus, ...comments } = await loadThread(await db(), {
			space: params.space,
			proposalId: null,
			actor: locals.user,
			url
		});
		// A space in draft is not public yet, nor is its debate.
		if (spaceStatus === 'draft') throw new NotFoundError('Dialogue space');
		const title = pick(spaceTitle, locals.locale);
		const titleLang = spaceTitle[locals.locale] ? undefined : spaceTitle.sv ? 'sv' : 'en';
		// Back from the flag page (`?flagged=1`, a comment reported): the page says so.
		const { flagged } = readQuery(url.searchParams, { flagged: fields.present });
		return { space: { slug: params.space, title, titleLang }, comments, flagged };
	});

const comments = commentActions(db);

export const actions: Actions = {
	// The thread's actions, named one by one so the permission journey finds each.
	comment: comments.comment,
	reply: comments.reply,
	editComment: comments.editComment,
	deleteComment: comments.deleteComment
};
