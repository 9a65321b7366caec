import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { countryList } from '#lib/server/kernel/countries.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { fields, readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { requestAccess } from '#lib/server/organizations/members/commands.ts';
import { ownAccessRequests } from '#lib/server/organizations/members/queries.ts';
import { membershipsOf } from '#lib/server/partner-search/memberships.ts';
import { organizationOptions } from '#lib/server/partnerships/pickers.ts';

/** Asking to work for an organization: the form, and the person's own requests. */
export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const { organization, sent } = readQuery(url.searchParams, {
			organization: fields.id.optional(),
			sent: fields.present
		});
		const me = locals.user;
		if (!me) return { signedIn: false as const, organization: organization ?? null };
		const database = await db();
		const [organizations, requests, memberships] = await Promise.all([
			organizationOptions(database, locals.locale),
			ownAccessRequests(database, me.id, locals.locale),
			membershipsOf(database, me.id, locals.locale)
		]);
		return {
			signedIn: true as const,
			organization: organization ?? null,
			sent,
			organizations,
			countries: countryList(locals.locale),
			requests,
			memberships
		};
	});

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const failed = await forAction(locals.locale, { values: typedValues(form) }, async () => {
			await requestAccess(await db(), locals.user, form);
			return null;
		});
		if (failed) return failed;
		// After the post, a page of its own: reloading it does not send the request again.
		redirect(303, `${localizePath(locals.locale, '/organizations/request-access')}?sent`);
	}
};
