import { redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { db } from '#lib/server/app/database.ts';
import { confirmTwoFactor, startTwoFactor } from '#lib/server/accounts/commands.ts';
import { forAction } from '#lib/server/kernel/http.ts';
import { fields, readQuery, requestForm } from '#lib/server/kernel/input.ts';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user)
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	const { required } = readQuery(url.searchParams, { required: fields.present });
	return { enabled: locals.user.twoFactorEnabled, required };
};

export const actions: Actions = {
	/** Checks the password and shows a new secret (as a QR code and as text) and backup codes. */
	start: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		return forAction(locals.locale, {}, async () => {
			const { totpURI, secret, backupCodes } = await startTwoFactor(auth, locals.user, form, request.headers);
			const qr = await QRCode.toString(totpURI, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
			return { started: true, qr, secret, backupCodes };
		});
	},
	/** The first code from the app turns verification on. */
	confirm: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		return forAction(locals.locale, {}, async () => {
			await confirmTwoFactor(auth, await db(), locals.user, form, request.headers);
			return { done: true };
		});
	}
};
