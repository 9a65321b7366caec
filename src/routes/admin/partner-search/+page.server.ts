import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import {
	hideProfile,
	listProfilesForModeration,
	listReported,
	showProfile
} from '#lib/server/partner-search/service.ts';
import { formRecord } from '#lib/server/partner-search/validation.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const [profiles, reported] = await Promise.all([
			listProfilesForModeration(database, locals.user, locals.locale),
			listReported(database, locals.user, locals.locale)
		]);
		return { profiles, reported };
	});

// A failure returns the note as typed, tagged with the profile it was for.
export const actions: Actions = {
	hide: async ({ request, locals }) => {
		const raw = formRecord(await request.formData());
		const values = { profile: String(raw.profile ?? ''), note: String(raw.note ?? '') };
		return forAction(locals.locale, values, async () => {
			await hideProfile(await db(), locals.user, raw);
			return { hidden: values.profile };
		});
	},
	show: async ({ request, locals }) => {
		const raw = formRecord(await request.formData());
		const values = { profile: String(raw.profile ?? ''), note: String(raw.note ?? '') };
		return forAction(locals.locale, values, async () => {
			await showProfile(await db(), locals.user, raw);
			return { shown: values.profile };
		});
	}
};
