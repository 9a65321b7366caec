import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';
import { db } from '#lib/server/app/database.ts';
import { inviteToOrganization } from '#lib/server/app/organization-invitations.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import {
	removeOrganizationMember,
	setOrganizationAdmin
} from '#lib/server/organizations/members/commands.ts';
import { organizationMembers } from '#lib/server/organizations/members/queries.ts';

/** Who works for an organization: for its administrators and the programme's editors. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user)
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	return forPage(locals.locale, async () =>
		organizationMembers(await db(), locals.user, params.slug, locals.locale)
	);
};

// A failure names its form (and the member for a row), so the page shows the message by it.
export const actions: Actions = {
	invite: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		const setPassword = publicOrigin() + localizePath(locals.locale, '/reset-password/new');
		return forAction(locals.locale, { form: 'invite', values: typedValues(form) }, async () => ({
			invited: await inviteToOrganization(await db(), auth, locals.user, params.slug, form, setPassword)
		}));
	},
	remove: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		return forAction(
			locals.locale,
			{ form: 'member', values, which: String(values.user ?? '') },
			async () => {
				await removeOrganizationMember(await db(), locals.user, params.slug, form);
				return { removed: true };
			}
		);
	},
	admin: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = typedValues(form);
		return forAction(
			locals.locale,
			{ form: 'member', values, which: String(values.user ?? '') },
			async () => {
				await setOrganizationAdmin(await db(), locals.user, params.slug, form);
				return { adminChanged: true };
			}
		);
	}
};
