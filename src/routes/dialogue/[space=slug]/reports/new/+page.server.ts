import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import { reportTypedWithoutPhoto, submitReportWithPhoto } from '#lib/server/app/report-photos.ts';
import { reportFormValues } from '#lib/server/dialogue/map-reports/input.ts';
import { reportRefusal, reportSpace } from '#lib/server/dialogue/map-reports/queries.ts';
import { reportFormMap } from '#lib/server/dialogue/map-reports/map.ts';
import { limitMessage, ParticipationLimitError } from '#lib/server/dialogue/proposals/limits.ts';
import { inUploadTurn } from '#lib/server/media/admission.ts';
import { maxUploadBytes } from '#lib/server/media/process.ts';

// Reporting a place. Without JavaScript the place is a district, an address or typed
// coordinates; with it, a tap on the map or the phone's position fills the coordinates in.

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const space = await reportSpace(database, params.space, locals.locale);
		return {
			space: {
				slug: space.slug,
				title: space.title,
				review: space.review,
				privacy: space.privacy,
				gridMeters: space.gridMeters,
				askPhoto: space.askPhoto,
				districts: space.districts.map((d) => d.name),
				categories: space.categories.map(({ key, title, titleLang, description }) => ({
					key,
					title,
					titleLang,
					description
				}))
			},
			map: reportFormMap(space, locals.locale),
			refusal: await reportRefusal(database, locals.user, space),
			maxPhotoBytes: maxUploadBytes
		};
	});

const photoProblem = (code: 'proposalPhotoTooLargeUnread' | 'proposalPhotoBusy') =>
	Promise.reject(new ValidationError([{ field: 'reportPhoto', code }], 'dialogue'));

export const actions: Actions = {
	// A form with a photo is an upload: a few at a time, the others wait with their bodies unread.
	default: async ({ request, locals, params, getClientAddress }) =>
		inUploadTurn(
			request,
			async () => {
				const form = await requestForm(request);
				// A body over the server's limit cannot be read at all (the page checks the size first).
				if (!form)
					return forAction(locals.locale, { values: undefined }, () =>
						photoProblem('proposalPhotoTooLargeUnread')
					);
				const values = reportFormValues(form);
				try {
					const result = await forAction(locals.locale, { values }, async () =>
						submitReportWithPhoto(await db(), mediaStore(), locals.user, params.space, form, {
							locale: locals.locale,
							ip: getClientAddress()
						})
					);
					if ('id' in result) {
						const flag = result.repeated ? 'repeated' : 'sent';
						redirect(
							303,
							localizePath(locals.locale, `/dialogue/${params.space}/reports/${result.id}?${flag}`)
						);
					}
					return result;
				} catch (e) {
					if (!(e instanceof ParticipationLimitError)) throw e;
					return fail(429, {
						values,
						problems: [{ field: 'form', message: limitMessage(e, locals.locale) }]
					});
				}
			},
			// No turn came: the body was read past its photo, so the text comes back as typed.
			(sent) =>
				forAction(locals.locale, { values: reportTypedWithoutPhoto(sent) }, () =>
					photoProblem('proposalPhotoBusy')
				)
		)
};
