import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { proposalFormValues } from '#lib/server/dialogue/proposals/input.ts';
import { proposalForEdit } from '#lib/server/dialogue/proposals/queries.ts';
import { editProposal } from '#lib/server/dialogue/proposals/commands.ts';

// The author corrects a proposal within the edit window (15 minutes, before any support or comment).

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const p = await proposalForEdit(await db(), locals.user, params.space, params.id);
		return {
			proposal: { id: p.id, spaceSlug: p.spaceSlug, open: p.open },
			values: { proposalTitle: p.title, proposalBody: p.body, proposalPlace: p.placeName ?? '' }
		};
	});

export const actions: Actions = {
	default: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = proposalFormValues(form);
		const result = await forAction(locals.locale, { values }, async () => {
			await editProposal(await db(), locals.user, params.space, params.id, form);
			return { saved: true as const };
		});
		if ('saved' in result) {
			redirect(303, localizePath(locals.locale, `/dialogue/${params.space}/proposals/${params.id}?saved`));
		}
		return result;
	}
};
