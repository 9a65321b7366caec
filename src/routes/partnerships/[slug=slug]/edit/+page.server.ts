import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { localizePath } from '#lib/i18n/index.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { ForbiddenError, ValidationError } from '#lib/server/kernel/errors.ts';
import { db } from '#lib/server/app/database.ts';
import { appAccounts, publicOrigin } from '#lib/server/app/accounts.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';
import { parsePartnershipForm, partnershipFormValues } from '#lib/server/partnerships/form.ts';
import {
	documentOptions,
	grantAccess,
	inviteToPartnership,
	loadPartnershipForEditing,
	organizationOptions,
	revokeAccess,
	savePartnership,
	setDocument,
	uploadDocument
} from '#lib/server/partnerships/editing.ts';
import { mediaStore } from '#lib/server/app/media.ts';

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		if (!locals.user) throw new ForbiddenError(true);
		const database = await db();
		const editing = await loadPartnershipForEditing(database, locals.user, params.slug, locals.locale);
		const [organizations, pickers, pdfs] = await Promise.all([
			organizationOptions(database, locals.locale),
			tagOptions(database, locals.locale),
			documentOptions(database, locals.user)
		]);
		return {
			editing,
			organizations,
			themes: pickers.themes,
			goals: pickers.goals,
			targets: pickers.targets,
			pdfs
		};
	});

const mediaId = z
	.string()
	.regex(/^[1-9]\d{0,8}$/)
	.transform(Number);

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const values = partnershipFormValues(await request.formData());
		return forAction(locals.locale, { values }, async () => {
			await savePartnership(await db(), locals.user, params.slug, parsePartnershipForm(values));
			return { saved: true };
		});
	},
	invite: async ({ request, locals, params }) => {
		const form = await request.formData();
		const invite = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? '') };
		const { auth } = await appAccounts();
		const setPassword = publicOrigin() + localizePath(locals.locale, '/reset-password/new');
		return forAction(locals.locale, { invite }, async () => {
			await inviteToPartnership(await db(), auth, locals.user, params.slug, invite, setPassword);
			return { invited: invite.email.trim().toLowerCase() };
		});
	},
	coordinator: async ({ request, locals, params }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			await grantAccess(await db(), locals.user, params.slug, String(form.get('user') ?? ''), 'coordinator');
			return { saved: true };
		});
	},
	revoke: async ({ request, locals, params }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			await revokeAccess(await db(), locals.user, params.slug, String(form.get('user') ?? ''));
			return { removed: true };
		});
	},
	attach: async ({ request, locals, params }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			const id = mediaId.safeParse(form.get('media') ?? '');
			if (!id.success) throw new ValidationError([{ field: 'documents', code: 'unknownMedia' }]);
			const title = {
				sv: String(form.get('title_sv') ?? '')
					.trim()
					.slice(0, 200),
				en: String(form.get('title_en') ?? '')
					.trim()
					.slice(0, 200)
			};
			await setDocument(await db(), locals.user, params.slug, id.data, true, title);
			return { attached: true };
		});
	},
	upload: async ({ request, locals, params }) => {
		const form = await request.formData();
		const file = form.get('file');
		const title = {
			sv: String(form.get('title_sv') ?? '')
				.trim()
				.slice(0, 200),
			en: String(form.get('title_en') ?? '')
				.trim()
				.slice(0, 200)
		};
		return forAction(locals.locale, { upload: title }, async () => {
			await uploadDocument(await db(), mediaStore(), locals.user, params.slug, {
				bytes: file instanceof File && file.size ? new Uint8Array(await file.arrayBuffer()) : null,
				fileName: file instanceof File ? file.name : '',
				title
			});
			return { attached: true };
		});
	},
	detach: async ({ request, locals, params }) => {
		const form = await request.formData();
		return forAction(locals.locale, {}, async () => {
			const id = mediaId.safeParse(form.get('media') ?? '');
			if (!id.success) throw new ValidationError([{ field: 'documents', code: 'unknownMedia' }]);
			await setDocument(await db(), locals.user, params.slug, id.data, false);
			return { detached: true };
		});
	}
};
