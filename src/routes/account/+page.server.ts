import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { deleteOwnAccount, endOtherSessions, endSession } from '#lib/server/accounts/commands.ts';
import { listOwnSessions } from '#lib/server/accounts/queries.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user)
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	const me = locals.user;
	return {
		me: { name: me.name, email: me.email, role: me.role },
		sessions: await forPage(locals.locale, async () => listOwnSessions(await db(), me, me.sessionId))
	};
};

// A failure names its form (`form`), so the page shows the message by the right one.
export const actions: Actions = {
	/** Ends one of the user's own sessions. */
	end: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { form: 'end' }, async () => {
			await endSession(await db(), locals.user, form);
			return { ended: true };
		});
	},
	/** Ends every session but this one. */
	endOthers: async ({ locals }) =>
		forAction(locals.locale, { form: 'endOthers' }, async () => {
			await endOtherSessions(await db(), locals.user, locals.user?.sessionId);
			return { ended: true };
		}),
	/** Deletes the account after the password is given again; then the visitor is signed out. */
	delete: async ({ request, locals, cookies }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const failed = await forAction(locals.locale, { form: 'delete' }, async () => {
			await deleteOwnAccount(await db(), locals.user, form);
			return null;
		});
		if (failed) return failed;
		for (const { name } of cookies.getAll())
			if (name.includes('partnerskap.')) cookies.delete(name, { path: '/' });
		redirect(303, `${localizePath(locals.locale, '/')}`);
	}
};
