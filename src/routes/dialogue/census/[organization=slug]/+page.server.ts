import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { db } from '#lib/server/app/database.ts';
import { uploadCensus } from '#lib/server/dialogue/verification/census.ts';
import { censusStatus } from '#lib/server/dialogue/verification/queries.ts';
import { censusMaxMegabytes } from '#lib/server/dialogue/verification/input.ts';
import { verificationConfigured } from '#lib/server/dialogue/verification/verifier.ts';

// An organization's census list for resident verification: its staff (or the programme's
// editors) see how many residents it holds and replace it with a new CSV file. The file is read
// in memory and hashed; it is never stored.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) {
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	}
	const user = locals.user;
	return forPage(locals.locale, async () => {
		const status = await censusStatus(await db(), user, params.organization, locals.locale);
		return {
			census: { ...status, uploadedAt: status.uploadedAt?.toISOString() ?? null },
			configured: verificationConfigured(),
			maxMegabytes: censusMaxMegabytes
		};
	});
};

export const actions: Actions = {
	default: async ({ request, locals, params, getClientAddress }) => {
		// Null when the body could not be read: larger than BODY_SIZE_LIMIT, or cut off on the way.
		const form = await requestForm(request);
		return forAction(locals.locale, {}, async () => {
			if (!form) {
				throw new ValidationError(
					[{ field: 'censusFile', code: 'censusTooLarge', params: { megabytes: censusMaxMegabytes } }],
					'dialogue'
				);
			}
			const { count } = await uploadCensus(await db(), locals.user, params.organization, form, {
				ip: getClientAddress()
			});
			return { uploaded: count };
		});
	}
};
