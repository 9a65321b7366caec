import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { proposalFormValues } from '#lib/server/dialogue/proposals/input.ts';
import { proposalForEdit } from '#lib/server/dialogue/proposals/queries.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import {
	editProposalWithPhoto,
	photosBusy,
	photoTooLarge,
	typedWithoutPhoto
} from '#lib/server/app/proposal-photos.ts';
import { inUploadTurn } from '#lib/server/media/admission.ts';
import { maxUploadBytes } from '#lib/server/media/process.ts';
import { limitMessage, ParticipationLimitError } from '#lib/server/dialogue/proposals/limits.ts';

// The author corrects a proposal within the edit window (15 minutes, before any support or comment):
// its text, and its photo (a new one replaces it, a tick removes it).

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const p = await proposalForEdit(await db(), locals.user, params.space, params.id);
		return {
			proposal: { id: p.id, spaceSlug: p.spaceSlug, open: p.open, photo: p.photo, editUntil: p.editUntil },
			maxPhotoBytes: maxUploadBytes,
			values: {
				proposalTitle: p.title,
				proposalBody: p.body,
				proposalPlace: p.placeName ?? '',
				proposalPhotoAlt: '',
				removePhoto: false,
				photoSent: false
			}
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
				let result;
				try {
					result = await forAction(locals.locale, { values }, async () => {
						await editProposalWithPhoto(
							await db(),
							mediaStore(),
							locals.user,
							params.space,
							params.id,
							form,
							{
								ip: getClientAddress()
							}
						);
						return { saved: true as const };
					});
				} catch (e) {
					if (!(e instanceof ParticipationLimitError)) throw e;
					// Too many photos today: the form says when to try again and keeps the text.
					return fail(429, {
						values,
						problems: [{ field: 'form', message: limitMessage(e, locals.locale) }]
					});
				}
				if ('saved' in result) {
					redirect(
						303,
						localizePath(locals.locale, `/dialogue/${params.space}/proposals/${params.id}?saved`)
					);
				}
				return result;
			},
			// No turn came: the body was read past its photo, so the text comes back as typed.
			(sent) =>
				forAction(locals.locale, { values: typedWithoutPhoto(sent) }, () => Promise.reject(photosBusy()))
		)
};
