import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { proposalPageShape } from '#lib/server/dialogue/proposals/input.ts';
import { db } from '#lib/server/app/database.ts';
import { proposalPage, proposalSpace } from '#lib/server/dialogue/proposals/queries.ts';
import { supportProposal, withdrawProposal } from '#lib/server/dialogue/proposals/commands.ts';
import { limitMessage, ParticipationLimitError } from '#lib/server/dialogue/proposals/limits.ts';
import { commentActions, loadThread } from '#lib/server/dialogue/comments/page.ts';
import { isFollowing } from '#lib/server/dialogue/notifications/follows.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { resultsOfProposal } from '#lib/server/results/links/queries.ts';

// A proposal's page: what it says (or why it is hidden), its supports and a support button (a
// plain form), its answers, the results it led to, its history; the author's edit link and withdrawal.

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		// Read once for the proposal and its thread, with the reader's standing.
		const space = await proposalSpace(database, locals.user, params.space, params.id);
		return {
			proposal: await proposalPage(database, locals.user, space, params.id, locals.locale),
			// Back from the edit form (saved) or the flag page (flagged): the page says so.
			...readQuery(url.searchParams, proposalPageShape, 'dialogue'),
			following: await isFollowing(database, locals.user, { space: params.space, proposal: params.id }),
			comments: await loadThread(database, { space, proposalId: params.id, actor: locals.user, url }),
			// What happened: the partnerships' results it led to (results follow-up).
			results: (await resultsOfProposal(database, params.id)).map((r) => ({
				...r,
				title: pick(r.title, locals.locale)
			}))
		};
	});

const comments = commentActions(db);

export const actions: Actions = {
	// The thread's actions, named one by one so the permission journey finds each.
	comment: comments.comment,
	reply: comments.reply,
	editComment: comments.editComment,
	deleteComment: comments.deleteComment,
	support: async ({ request, locals, params, getClientAddress }) => {
		await requestForm(request);
		try {
			return await forAction(locals.locale, { action: 'support' as const }, async () => {
				const r = await supportProposal(await db(), locals.user, params.space, params.id, {
					ip: getClientAddress()
				});
				return { action: 'support' as const, supported: true, thresholdReached: r.thresholdReached };
			});
		} catch (e) {
			if (!(e instanceof ParticipationLimitError)) throw e;
			return fail(429, {
				action: 'support' as const,
				problems: [{ field: 'form', message: limitMessage(e, locals.locale) }]
			});
		}
	},
	withdraw: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { action: 'withdraw' as const }, async () => {
			await withdrawProposal(await db(), locals.user, params.space, params.id, form);
			return { action: 'withdraw' as const, withdrawn: true };
		});
	}
};
