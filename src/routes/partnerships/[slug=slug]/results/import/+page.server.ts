import type { Actions, PageServerLoad } from './$types';
import { redirect } from '@sveltejs/kit';
import { localizePath } from '#lib/i18n/index.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readForm, requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { frameworkToEdit } from '#lib/server/results/policy.ts';
import { activityIdentifier } from '#lib/server/results/iati/export.ts';
import { maxIatiBytes } from '#lib/server/results/iati/import.ts';
import { maxSpreadsheetBytes } from '#lib/server/results/spreadsheet/files.ts';
import { applyShape, chooseShape, uploadShape } from '#lib/server/results/spreadsheet/input.ts';
import { applyUpload, previewUpload } from '#lib/server/results/spreadsheet/upload.ts';

// Upload (a spreadsheet or an IATI activity file) → preview (nothing saved; an IATI file with
// several activities: choose one, and preview again) → apply. Works without JavaScript: the
// preview carries the file and the framework's fingerprint in hidden fields.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) {
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	}
	const user = locals.user;
	return forPage(locals.locale, async () => {
		const ref = await frameworkToEdit(await db(), user, params.slug);
		return {
			slug: ref.slug,
			megabytes: maxSpreadsheetBytes / 1024 / 1024,
			iatiMegabytes: maxIatiBytes / 1024 / 1024,
			identifier: activityIdentifier(ref.slug)
		};
	});
};

const tooLarge = () => new ValidationError([{ field: 'spreadsheet', code: 'sheetTooLarge' }], 'results');

export const actions: Actions = {
	preview: async ({ request, locals, params }) => {
		const form = await requestForm(request);
		return forAction(locals.locale, {}, async () => {
			if (!form) throw tooLarge();
			const database = await db();
			if (form.has('sheet')) {
				const { sheet, activity } = readForm(form, chooseShape, 'results');
				return { preview: await previewUpload(database, locals.user, params.slug, sheet, activity) };
			}
			const { spreadsheet } = readForm(form, uploadShape, 'results');
			return { preview: await previewUpload(database, locals.user, params.slug, spreadsheet) };
		});
	},
	apply: async ({ request, locals, params }) => {
		const form = await requestForm(request);
		const result = await forAction(locals.locale, {}, async () => {
			if (!form) throw tooLarge();
			return {
				saved: await applyUpload(await db(), locals.user, params.slug, readForm(form, applyShape, 'results'))
			};
		});
		if (!('saved' in result)) return result;
		// The results page says what the framework holds now.
		const { results, indicators } = result.saved;
		redirect(
			303,
			`${localizePath(locals.locale, `/partnerships/${params.slug}/results`)}?imported=${results}&indicators=${indicators}`
		);
	}
};
