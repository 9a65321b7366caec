import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { proposalFormValues } from '#lib/server/dialogue/proposals/input.ts';
import { inputSpace, participationRefusal } from '#lib/server/dialogue/proposals/queries.ts';
import { limitMessage, ParticipationLimitError } from '#lib/server/dialogue/proposals/limits.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import {
	photosBusy,
	photoTooLarge,
	submitProposalWithPhoto,
	typedWithoutPhoto
} from '#lib/server/app/proposal-photos.ts';
import { inUploadTurn } from '#lib/server/media/admission.ts';
import { maxUploadBytes } from '#lib/server/media/process.ts';

// Writing a proposal. The first submit may come back with similar proposals in the space and a
// "send anyway" button (the same form again, with `anyway`): the near-duplicate step works
// without JavaScript. A chosen photo cannot be kept across that step (a browser sends a file once
// and a file field cannot be filled in again), so the step keeps its alt text and asks clearly for
// the photo again; an alt text without a photo is a problem, so it is never lost unnoticed.

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const space = await inputSpace(database, params.space, locals.locale);
		const refusal = await participationRefusal(database, locals.user, space, 'proposals');
		return {
			space: {
				slug: space.slug,
				title: space.title,
				moderation: space.moderation,
				supportThreshold: space.supportThreshold,
				supportWindowDays: space.supportWindowDays,
				answerDays: space.answerDays
			},
			refusal,
			maxPhotoBytes: maxUploadBytes
		};
	});

export const actions: Actions = {
	// A form with a photo is an upload: a few at a time, the others wait with their bodies unread.
	default: async ({ request, locals, params, getClientAddress }) =>
		inUploadTurn(
			request,
			async () => {
				const form = await requestForm(request);
				// A body over the server's limit cannot be read at all (the page checks the size first).
				if (!form)
					return forAction(locals.locale, { values: undefined }, () => Promise.reject(photoTooLarge()));
				const values = proposalFormValues(form);
				try {
					const result = await forAction(locals.locale, { values }, async () =>
						submitProposalWithPhoto(await db(), mediaStore(), locals.user, params.space, form, {
							locale: locals.locale,
							ip: getClientAddress()
						})
					);
					if ('created' in result) {
						redirect(
							303,
							localizePath(locals.locale, `/dialogue/${params.space}/proposals/${result.created}`)
						);
					}
					if ('similar' in result) return { values, similar: result.similar };
					return result;
				} catch (e) {
					if (!(e instanceof ParticipationLimitError)) throw e;
					// Too many: the form says when to try again and keeps the text (429, not an error page).
					return fail(429, {
						values,
						problems: [{ field: 'form', message: limitMessage(e, locals.locale) }]
					});
				}
			},
			// No turn came: the body was read past its photo, so the text comes back as typed.
			(sent) =>
				forAction(locals.locale, { values: typedWithoutPhoto(sent) }, () => Promise.reject(photosBusy()))
		)
};
