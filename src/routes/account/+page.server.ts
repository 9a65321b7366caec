import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { authorize } from '#lib/server/kernel/policy.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { deleteOwnAccount } from '#lib/server/accounts/privacy.ts';
import { db } from '#lib/server/app/database.ts';
import { accountsPolicy } from '#lib/server/accounts/policy.ts';

export const load: PageServerLoad = async ({ locals, request, url }) => {
	if (!locals.user)
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	await forPage(locals.locale, () => authorize(locals.user, accountsPolicy.manageOwnAccount));
	const { auth } = await appAccounts();
	const sessions = await auth.api.listSessions({ headers: request.headers });
	return {
		me: { name: locals.user.name, email: locals.user.email, role: locals.user.role },
		// Never the tokens: the page names sessions by id, the action looks the token up.
		sessions: sessions
			.map((s) => ({
				id: s.id,
				current: s.id === locals.user!.sessionId,
				userAgent: s.userAgent ?? null,
				ipAddress: s.ipAddress ?? null,
				createdAt: new Date(s.createdAt).toISOString(),
				updatedAt: new Date(s.updatedAt).toISOString()
			}))
			.sort((a, b) => Number(b.current) - Number(a.current) || b.updatedAt.localeCompare(a.updatedAt))
	};
};

export const actions: Actions = {
	/** Ends one of the user's own sessions. */
	end: async ({ request, locals }) => {
		if (!locals.user) return fail(401);
		const id = String((await request.formData()).get('session') ?? '');
		const { auth } = await appAccounts();
		const own = await auth.api.listSessions({ headers: request.headers });
		const target = own.find((s) => s.id === id);
		if (!target) return fail(404, { error: messages(locals.locale).errors.notFound });
		await auth.api.revokeSession({ body: { token: target.token }, headers: request.headers });
		return { ended: true };
	},
	/** Deletes the account after the password is given again; then the visitor is signed out. */
	delete: async ({ request, locals, cookies }) => {
		const password = String((await request.formData()).get('password') ?? '');
		const result = await forAction(locals.locale, {}, async () => {
			await deleteOwnAccount(await db(), locals.user, password);
			return null;
		});
		if (result) return result;
		for (const { name } of cookies.getAll())
			if (name.includes('partnerskap.')) cookies.delete(name, { path: '/' });
		redirect(303, `${localizePath(locals.locale, '/')}`);
	},
	endOthers: async ({ request, locals }) => {
		if (!locals.user) return fail(401);
		const { auth } = await appAccounts();
		await auth.api.revokeOtherSessions({ headers: request.headers });
		return { ended: true };
	}
};
