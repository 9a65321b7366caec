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

/**
 * The key being set up as the page showed it (QR code, text, backup codes), from the link the
 * confirm form carries back: a mistyped first code is tried again with the same key instead of
 * starting over. Only shown to the person who sent it; the server checks the code against the key
 * it keeps, not this one.
 */
async function shownKey(totpURI: string, backupCodes: string[]) {
	let secret: string | null = null;
	try {
		const url = new URL(totpURI);
		if (url.protocol === 'otpauth:' && totpURI.length <= 1000) secret = url.searchParams.get('secret');
	} catch {
		secret = null;
	}
	if (!secret) return {};
	const qr = await QRCode.toString(totpURI, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
	return { started: true as const, qr, secret, totpURI, backupCodes: backupCodes.slice(0, 20) };
}

export const actions: Actions = {
	/** Checks the password and shows a new secret (as a QR code and as text) and backup codes. */
	start: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		return forAction(locals.locale, {}, async () => {
			const { totpURI, backupCodes } = await startTwoFactor(auth, locals.user, form, request.headers);
			return shownKey(totpURI, backupCodes);
		});
	},
	/** The first code from the app turns verification on. */
	confirm: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { auth } = await appAccounts();
		const shown = await shownKey(
			String(form.get('totpURI') ?? ''),
			form.getAll('backupCode').map((c) => String(c).slice(0, 40))
		);
		return forAction(locals.locale, shown, async () => {
			await confirmTwoFactor(auth, await db(), locals.user, form, request.headers);
			return { done: true };
		});
	}
};
