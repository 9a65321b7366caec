import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import {
	ownProfiles,
	partnerSearchOptions,
	renewProfile,
	saveProfile
} from '#lib/server/partner-search/service.ts';
import { formRecord, parseId, profileFormValues } from '#lib/server/partner-search/validation.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) {
		redirect(
			303,
			`${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname + url.search)}`
		);
	}
	const asked = url.searchParams.get('organization');
	const organizationId = asked === null ? undefined : (parseId(asked) ?? -1);
	const database = await db();
	const own = await forPage(locals.locale, () =>
		ownProfiles(database, locals.user, locals.locale, organizationId)
	);
	return {
		...own,
		options: await partnerSearchOptions(database, locals.locale),
		// A new profile starts with the person filling it in as the contact.
		defaults: { contactName: locals.user.name, contactEmail: locals.user.email }
	};
};

/** The organization the form is for: a hidden field, checked again by the domain. */
function organizationOf(raw: Record<string, unknown>): number {
	const id = parseId(raw.organization);
	if (id === undefined) throw new ValidationError([{ field: 'organization', code: 'unknownOrganization' }]);
	return id;
}

export const actions: Actions = {
	save: async ({ request, locals }) => {
		const raw = formRecord(await request.formData());
		const values = { form: 'save', ...profileFormValues(raw) };
		return forAction(locals.locale, values, async () => {
			await saveProfile(await db(), locals.user, organizationOf(raw), raw);
			return { saved: true };
		});
	},
	renew: async ({ request, locals }) => {
		const raw = formRecord(await request.formData());
		return forAction(locals.locale, { form: 'renew' }, async () => {
			await renewProfile(await db(), locals.user, organizationOf(raw));
			return { renewed: true };
		});
	}
};
