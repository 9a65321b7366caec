import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { db } from '#lib/server/app/database.ts';
import { templateWork, workRights } from '#lib/server/dialogue/answers/queries.ts';
import { deleteTemplate, saveTemplate } from '#lib/server/dialogue/answers/commands.ts';
import { sentText, signInFirst } from '../work.ts';

// The space's answer templates: a name, the state it answers with, and its text per language.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) => {
	signInFirst(locals.user, locals.locale, url);
	return forPage(locals.locale, async () => {
		const database = await db();
		const { space, templates } = await templateWork(database, locals.user, params.space);
		return {
			space: { slug: space.slug, title: pick(space.title, locals.locale), languages: space.languages },
			rights: await workRights(locals.user, space),
			templates
		};
	});
};

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = sentText(form);
		return forAction(
			locals.locale,
			{ values, for: typeof values.template === 'string' ? values.template : 'new' },
			async () => {
				await saveTemplate(await db(), locals.user, params.space, form);
				return { saved: true };
			}
		);
	},
	delete: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { for: 'delete' }, async () => {
			await deleteTemplate(await db(), locals.user, params.space, form);
			return { deleted: true };
		});
	}
};
