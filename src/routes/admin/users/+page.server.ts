import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';
import { db } from '#lib/server/app/database.ts';
import { inviteUser, setDisabled, setRole } from '#lib/server/accounts/commands.ts';
import { listUsers } from '#lib/server/accounts/queries.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';

export const load: PageServerLoad = async ({ locals }) => ({
	users: await forPage(locals.locale, async () => listUsers(await db(), locals.user))
});

// A failure carries what was typed and names its form (`form`, and `user` for a row), so the
// page shows the message by the right one.
export const actions: Actions = {
	invite: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		const setPassword = publicOrigin() + localizePath(locals.locale, '/reset-password/new');
		return forAction(locals.locale, { form: 'invite', ...typedValues(form) }, async () => {
			const { email } = await inviteUser(auth, await db(), locals.user, form, setPassword);
			return { invited: email };
		});
	},
	role: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { form: 'role', ...typedValues(form) }, async () => {
			await setRole(await db(), locals.user, form);
			return { saved: true };
		});
	},
	disable: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { form: 'disable', ...typedValues(form) }, async () => {
			await setDisabled(await db(), locals.user, form);
			return { saved: true };
		});
	}
};
