import type { Actions, PageServerLoad } from './$types';
import { formValues, requestForm } from '#lib/server/kernel/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { moderationShape } from '#lib/server/partner-search/input.ts';
import { listProfilesForModeration, listReported } from '#lib/server/partner-search/moderation/queries.ts';
import { hideProfile, showProfile } from '#lib/server/partner-search/moderation/commands.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const [profiles, reported] = await Promise.all([
			listProfilesForModeration(database, locals.user, locals.locale),
			listReported(database, locals.user, locals.locale)
		]);
		return { profiles, reported };
	});

/** The form as sent: the note as typed, tagged with the profile it was for (shown again on failure). */
async function moderationForm(request: Request) {
	const sent = formValues((await requestForm(request)) ?? new FormData(), moderationShape);
	const text = (name: string) => (typeof sent[name] === 'string' ? (sent[name] as string) : '');
	return { sent, values: { profile: text('profile'), note: text('note') } };
}

export const actions: Actions = {
	hide: async ({ request, locals }) => {
		const { sent, values } = await moderationForm(request);
		return forAction(locals.locale, values, async () => {
			await hideProfile(await db(), locals.user, sent);
			return { hidden: values.profile };
		});
	},
	show: async ({ request, locals }) => {
		const { sent, values } = await moderationForm(request);
		return forAction(locals.locale, values, async () => {
			await showProfile(await db(), locals.user, sent);
			return { shown: values.profile };
		});
	}
};
