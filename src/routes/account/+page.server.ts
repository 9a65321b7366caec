import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import {
	deleteOwnAccount,
	endOtherSessions,
	endSession,
	saveSettings
} from '#lib/server/accounts/own-account/commands.ts';
import { ownSettings } from '#lib/server/accounts/own-account/queries.ts';
import { listOwnSessions } from '#lib/server/accounts/queries.ts';
import { ownPartnerships } from '#lib/server/partnerships/space/queries.ts';
import { membershipsOf } from '#lib/server/partner-search/memberships.ts';
import { administeredBy } from '#lib/server/organizations/members/queries.ts';
import { notificationMails, returnQuery } from '#lib/server/accounts/input.ts';
import { localTarget } from '#lib/server/kernel/redirect.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { fields, readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user)
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	const me = locals.user;
	return forPage(locals.locale, async () => {
		// `?welcome` after the confirmation link (with `to`, the page signed up from), `?saved`
		// after the settings: a notice each.
		const { welcome, saved, to } = readQuery(url.searchParams, {
			welcome: fields.present,
			saved: fields.present,
			...returnQuery
		});
		const database = await db();
		return {
			me: { name: me.name, email: me.email, role: me.role },
			settings: await ownSettings(database, me),
			notificationMails,
			sessions: await listOwnSessions(database, me, me.sessionId),
			// Their work first: the partnerships they take part in and the organizations they work for.
			partnerships: await ownPartnerships(database, me.id, locals.locale),
			organizations: await membershipsOf(database, me.id, locals.locale),
			administered: await administeredBy(database, me.id),
			welcome,
			to: welcome ? localTarget(to ?? null, '') || null : null,
			saved
		};
	});
};

// A failure names its form (`form`), so the page shows the message by the right one.
export const actions: Actions = {
	/**
	 * Saves the name, the language and how notifications come; then the account page in the
	 * language just chosen.
	 */
	settings: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const failed = await forAction(locals.locale, { form: 'settings', ...typedValues(form) }, async () => {
			await saveSettings(await db(), locals.user, form);
			return null;
		});
		if (failed) return failed;
		const chosen = form.get('lang') === 'en' ? 'en' : 'sv';
		redirect(303, `${localizePath(chosen, '/account')}?saved`);
	},
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
