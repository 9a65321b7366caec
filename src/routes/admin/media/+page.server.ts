import type { Actions, PageServerLoad } from './$types';
import { locales } from '#lib/i18n/locales.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { can } from '#lib/server/kernel/policy.ts';
import { db } from '#lib/server/app/database.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import { deleteMedia, listMedia, setAltText, uploadMedia } from '#lib/server/media/service.ts';
import { parseListQuery } from '#lib/server/media/validation.ts';
import { mediaPolicy } from '#lib/server/media/policy.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const query = parseListQuery(url.searchParams);
		return {
			kind: query.kind ?? null,
			...(await listMedia(await db(), locals.user, query)),
			// What the page offers; the service asks the permission module again on every action.
			canDelete: can(locals.user, mediaPolicy.delete)
		};
	});

const text = (form: FormData, name: string) => {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
};

/** The alt text fields (`alt_sv`, `alt_en` …) as typed, to fill the form in again. */
const typedAlt = (form: FormData) =>
	Object.fromEntries(locales.map((l) => [`alt_${l}`, text(form, `alt_${l}`)])) as Record<
		`alt_${string}`,
		string
	>;

const altOf = (values: Record<string, string>) =>
	Object.fromEntries(locales.map((l) => [l, values[`alt_${l}`] ?? '']));

/**
 * The request body, or null when it could not be read: larger than BODY_SIZE_LIMIT (adapter-node
 * stops reading at 11 MB by default, see scripts/serve.js) or cut off on the way.
 */
async function formOf(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch {
		return null;
	}
}

// Each failure returns what was typed, tagged with the form it came from (`form`, and `id` for
// the one item it concerns), so the page fills in and marks the right one again.
export const actions: Actions = {
	upload: async ({ request, locals }) => {
		const form = await formOf(request);
		if (!form) {
			return forAction(locals.locale, { form: 'upload' }, async () => {
				throw new ValidationError([{ field: 'file', code: 'fileTooLarge' }]);
			});
		}
		const values = { form: 'upload', ...typedAlt(form) };
		const file = form.get('file');
		return forAction(locals.locale, values, async () => {
			const chosen = file instanceof File && file.size > 0 ? file : null;
			const item = await uploadMedia(await db(), mediaStore(), locals.user, {
				bytes: chosen ? new Uint8Array(await chosen.arrayBuffer()) : null,
				fileName: chosen?.name ?? '',
				alt: altOf(values)
			});
			return { uploaded: item.fileName };
		});
	},
	alt: async ({ request, locals }) => {
		const form = (await formOf(request)) ?? new FormData();
		const values = { form: 'alt', id: text(form, 'id'), ...typedAlt(form) };
		return forAction(locals.locale, values, async () => {
			const item = await setAltText(await db(), locals.user, { id: values.id, alt: altOf(values) });
			return { altSaved: item.fileName };
		});
	},
	delete: async ({ request, locals }) => {
		const form = (await formOf(request)) ?? new FormData();
		const values = { form: 'delete', id: text(form, 'id') };
		return forAction(locals.locale, values, async () => {
			const { fileName } = await deleteMedia(await db(), mediaStore(), locals.user, values.id);
			return { deleted: fileName };
		});
	}
};
