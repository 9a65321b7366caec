import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { readQuery, requestForm } from '#lib/server/kernel/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { ownProfileQuery, profileFormValues } from '#lib/server/partner-search/input.ts';
import { readNames, searchOptions } from '#lib/server/partner-search/names.ts';
import { ownProfiles } from '#lib/server/partner-search/profiles/queries.ts';
import { renewProfile, saveProfile } from '#lib/server/partner-search/profiles/commands.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	const user = locals.user;
	return forPage(locals.locale, async () => {
		const { organization } = readQuery(url.searchParams, ownProfileQuery, 'partnerSearch');
		const database = await db();
		const [own, names] = await Promise.all([
			ownProfiles(database, user, locals.locale, organization),
			readNames(database, locals.locale)
		]);
		return {
			...own,
			options: searchOptions(names),
			// A new profile starts with the person filling it in as the contact.
			defaults: { contactName: user.name, contactEmail: user.email }
		};
	});
};

export const actions: Actions = {
	save: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = { form: 'save' as const, ...profileFormValues(form) };
		return forAction(locals.locale, values, async () => {
			await saveProfile(await db(), locals.user, form);
			return { saved: true };
		});
	},
	renew: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { form: 'renew' as const }, async () => {
			await renewProfile(await db(), locals.user, form);
			return { renewed: true };
		});
	}
};
