import { fail, redirect } from '@sveltejs/kit';
import { isAPIError } from 'better-auth/api';
import QRCode from 'qrcode';
import type { Actions, PageServerLoad } from './$types';
import { localizePath, messages } from '#lib/i18n/index.ts';
import { appAccounts } from '#lib/server/app/accounts.ts';
import { audit } from '#lib/server/kernel/audit.ts';
import { db } from '#lib/server/app/database.ts';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.user)
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	return { enabled: locals.user.twoFactorEnabled, required: url.searchParams.has('required') };
};

export const actions: Actions = {
	/** Checks the password and shows a new secret (as a QR code and as text) and backup codes. */
	start: async ({ request, locals }) => {
		if (!locals.user) return fail(401);
		const password = String((await request.formData()).get('password') ?? '');
		const { auth } = await appAccounts();
		try {
			const enabled = await auth.api.enableTwoFactor({ body: { password }, headers: request.headers });
			if (enabled.method !== 'totp') throw new Error('Only TOTP is configured');
			const { totpURI, backupCodes } = enabled;
			const secret = new URL(totpURI).searchParams.get('secret') ?? '';
			const qr = await QRCode.toString(totpURI, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
			return { started: true, qr, secret, backupCodes };
		} catch (error) {
			if (isAPIError(error)) return fail(400, { error: messages(locals.locale).accounts.twoFactor.wrongPassword });
			throw error;
		}
	},
	/** The first code from the app turns verification on. */
	confirm: async ({ request, locals }) => {
		if (!locals.user) return fail(401);
		const code = String((await request.formData()).get('code') ?? '').replace(/\s+/g, '');
		const { auth } = await appAccounts();
		try {
			await auth.api.verifyTOTP({ body: { code }, headers: request.headers });
		} catch (error) {
			if (isAPIError(error)) return fail(400, { error: messages(locals.locale).accounts.twoFactor.wrongCode });
			throw error;
		}
		await audit(await db(), {
			actorId: locals.user.id,
			action: 'auth.two-factor-enabled',
			subject: `user:${locals.user.id}`
		});
		return { done: true };
	}
};
