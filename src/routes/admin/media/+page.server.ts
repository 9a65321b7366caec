import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { can } from '#lib/server/kernel/policy.ts';
import { db } from '#lib/server/app/database.ts';
import { libraryHooks, libraryUses, mediaStore } from '#lib/server/app/media.ts';
import { deleteMedia, setAltText, uploadMedia } from '#lib/server/media/commands.ts';
import { inUploadTurn, uploadsBusy } from '#lib/server/media/admission.ts';
import { listMedia } from '#lib/server/media/queries.ts';
import { libraryQuery } from '#lib/server/media/input.ts';
import { mediaPolicy } from '#lib/server/media/policy.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const query = readQuery(url.searchParams, libraryQuery, 'media');
		const list = await listMedia(await db(), locals.user, query);
		return {
			kind: query.kind ?? null,
			...list,
			// Which pages show each file: said beside it, and asked about before it is deleted.
			uses: await libraryUses(await db(), list.items, locals.locale),
			// What the page offers; the commands ask the permission module again on every action.
			canDelete: can(locals.user, mediaPolicy.delete)
		};
	});

// Each failure returns what was typed, tagged with the form it came from (`form`, and `id` for
// the one item it concerns), so the page fills in and marks the right one again.
export const actions: Actions = {
	// A few uploads at a time: the others wait with their bodies unread (media/admission.ts).
	upload: async ({ request, locals }) =>
		inUploadTurn(
			request,
			async () => {
				// Null when the body could not be read: larger than BODY_SIZE_LIMIT (adapter-node stops
				// reading at 11 MB by default, see scripts/serve.js) or cut off on the way.
				const form = await requestForm(request);
				return forAction(locals.locale, { form: 'upload', ...(form ? typedValues(form) : {}) }, async () => {
					const item = await uploadMedia(await db(), mediaStore(), locals.user, form);
					return { uploaded: item.fileName };
				});
			},
			() => forAction(locals.locale, { form: 'upload' }, () => Promise.reject(uploadsBusy()))
		),
	alt: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { form: 'alt', ...typedValues(form) }, async () => {
			const item = await setAltText(await db(), locals.user, form);
			return { altSaved: item.fileName };
		});
	},
	delete: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { form: 'delete', ...typedValues(form) }, async () => {
			const { fileName } = await deleteMedia(
				await db(),
				mediaStore(),
				locals.user,
				form,
				libraryHooks(locals.locale)
			);
			return { deleted: fileName };
		});
	}
};
