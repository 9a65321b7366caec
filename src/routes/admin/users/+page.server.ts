import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';
import { inviteUser, listUsers, setDisabled, setRole } from '#lib/server/accounts/service.ts';
import type { Role } from '#lib/server/accounts/schema.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';

export const load: PageServerLoad = async ({ locals }) => ({
	users: await forPage(locals.locale, async () => listUsers(await db(), locals.user))
});

export const actions: Actions = {
	invite: async ({ request, locals }) => {
		const form = await request.formData();
		const values = {
			email: String(form.get('email') ?? ''),
			name: String(form.get('name') ?? ''),
			role: String(form.get('role') ?? '')
		};
		const { auth } = await appAccounts();
		const setPassword = publicOrigin() + localizePath(locals.locale, '/reset-password/new');
		return forAction(locals.locale, values, async () => {
			await inviteUser(auth, await db(), locals.user, values as never, setPassword);
			return { invited: values.email.toLowerCase() };
		});
	},
	role: async ({ request, locals }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			await setRole(
				await db(),
				locals.user,
				String(form.get('user') ?? ''),
				String(form.get('role') ?? '') as Role
			);
			return { saved: true };
		});
	},
	disable: async ({ request, locals }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			await setDisabled(
				await db(),
				locals.user,
				String(form.get('user') ?? ''),
				form.get('disabled') === 'true'
			);
			return { saved: true };
		});
	}
};
