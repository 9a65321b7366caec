import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ForbiddenError, ValidationError } from '#lib/server/kernel/errors.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';
import { mediaStore } from '#lib/server/app/media.ts';
import { inviteToPartnership } from '#lib/server/app/partnership-invitations.ts';
import { uploadPartnershipDocument } from '#lib/server/app/partnership-documents.ts';
import { inUploadTurn, uploadsBusy } from '#lib/server/media/admission.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';
import { partnershipFormValues } from '#lib/server/partnerships/input.ts';
import { organizationOptions } from '#lib/server/partnerships/pickers.ts';
import { savePartnership } from '#lib/server/partnerships/commands.ts';
import {
	appointCoordinator,
	attachFromLibrary,
	detachDocument,
	removeFromSpace
} from '#lib/server/partnerships/space/commands.ts';
import {
	documentOptions,
	leadImageOptions,
	partnershipForEditing,
	partnershipSpace
} from '#lib/server/partnerships/space/queries.ts';

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		if (!locals.user) throw new ForbiddenError(true);
		const database = await db();
		const editing = await partnershipForEditing(database, locals.user, params.slug);
		const [space, organizations, pickers, pdfs, leadImages] = await Promise.all([
			partnershipSpace(database, locals.user, editing.id, locals.locale),
			organizationOptions(database, locals.locale),
			tagOptions(database, locals.locale),
			documentOptions(database, locals.user),
			leadImageOptions(database)
		]);
		return {
			editing: { ...editing, ...space },
			organizations,
			themes: pickers.themes,
			goals: pickers.goals,
			targets: pickers.targets,
			pdfs,
			leadImages
		};
	});

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const values = partnershipFormValues((await requestForm(request)) ?? new FormData());
		return forAction(locals.locale, { values }, async () => {
			await savePartnership(await db(), locals.user, params.slug, values);
			return { saved: true };
		});
	},
	invite: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const invite = typedValues(form);
		const { auth } = await appAccounts();
		const setPassword = publicOrigin() + localizePath(locals.locale, '/reset-password/new');
		return forAction(locals.locale, { invite }, async () => ({
			invited: await inviteToPartnership(await db(), auth, locals.user, params.slug, form, setPassword)
		}));
	},
	coordinator: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { space: true }, async () => {
			await appointCoordinator(await db(), locals.user, params.slug, form);
			return { appointed: String(typedValues(form).user) };
		});
	},
	revoke: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { space: true }, async () => {
			await removeFromSpace(await db(), locals.user, params.slug, form);
			return { removed: true };
		});
	},
	attach: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { attach: typedValues(form) }, async () => {
			await attachFromLibrary(await db(), locals.user, params.slug, form);
			return { attached: true };
		});
	},
	// A few uploads at a time: the others wait with their bodies unread (media/admission.ts).
	upload: async ({ request, locals, params }) =>
		inUploadTurn(
			request,
			async () => {
				const form = await requestForm(request);
				return forAction(locals.locale, { upload: form ? typedValues(form) : {} }, async () => {
					// A body too large to read is a file too large: the upload is the big one.
					if (!form) throw new ValidationError([{ field: 'file', code: 'fileTooLarge' }], 'media');
					await uploadPartnershipDocument(await db(), mediaStore(), locals.user, params.slug, form);
					return { attached: true };
				});
			},
			() =>
				forAction(locals.locale, { upload: typedValues(new FormData()) }, () => Promise.reject(uploadsBusy()))
		),
	detach: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { documents: true }, async () => {
			await detachDocument(await db(), locals.user, params.slug, form);
			return { detached: true };
		});
	}
};
