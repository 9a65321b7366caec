import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { reportFormValues } from '#lib/server/dialogue/map-reports/input.ts';
import { reportRefusal, reportSpace } from '#lib/server/dialogue/map-reports/queries.ts';
import { reportFormMap } from '#lib/server/dialogue/map-reports/map.ts';
import { submitReport } from '#lib/server/dialogue/map-reports/commands.ts';
import { limitMessage, ParticipationLimitError } from '#lib/server/dialogue/proposals/limits.ts';

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
				bbox: space.bbox,
				districts: space.districts.map((d) => d.name),
				categories: space.categories.map(({ key, title, titleLang, description }) => ({
					key,
					title,
					titleLang,
					description
				}))
			},
			map: reportFormMap(space, locals.locale),
			refusal: await reportRefusal(database, locals.user, space)
		};
	});

export const actions: Actions = {
	default: async ({ request, locals, params, getClientAddress }) => {
		const form = await requestForm(request);
		const values = form ? reportFormValues(form) : undefined;
		try {
			const result = await forAction(locals.locale, { values }, async () =>
				submitReport(await db(), locals.user, params.space, form ?? {}, {
					locale: locals.locale,
					ip: getClientAddress()
				})
			);
			if ('id' in result) {
				const flag = result.repeated ? 'repeated' : 'sent';
				redirect(303, localizePath(locals.locale, `/dialogue/${params.space}/reports/${result.id}?${flag}`));
			}
			return result;
		} catch (e) {
			if (!(e instanceof ParticipationLimitError)) throw e;
			return fail(429, { values, problems: [{ field: 'form', message: limitMessage(e, locals.locale) }] });
		}
	}
};
