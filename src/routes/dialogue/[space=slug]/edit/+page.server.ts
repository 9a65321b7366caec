import type { Actions, PageServerLoad } from './$types';
import type { Database } from '#lib/server/kernel/database.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { spaceResidency } from '#lib/server/dialogue/verification/queries.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { requestForm } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { tagOptions } from '#lib/server/taxonomy/pickers.ts';
import { maxPhases, spaceFormValues } from '#lib/server/dialogue/spaces/input.ts';
import { spaceForEditing } from '#lib/server/dialogue/spaces/pickers.ts';
import { saveSpace } from '#lib/server/dialogue/spaces/commands.ts';

/** The organizations whose residents the space admits (none while it is a draft): their lists. */
const residentLists = (database: Database, slug: string, locale: string) =>
	spaceResidency(database, slug, locale).then(
		(r) => r.organizations.map((o) => ({ slug: o.slug, name: o.name })),
		(e) => {
			if (e instanceof NotFoundError) return [];
			throw e;
		}
	);

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const editing = await spaceForEditing(database, locals.user, params.space, locals.locale);
		const pickers = await tagOptions(database, locals.locale);
		return {
			editing,
			maxPhases,
			themes: pickers.themes,
			goals: pickers.goals,
			targets: pickers.targets,
			residentLists: await residentLists(database, params.space, locals.locale)
		};
	});

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const values = spaceFormValues((await requestForm(request)) ?? new FormData());
		return forAction(locals.locale, { values }, async () => {
			await saveSpace(await db(), locals.user, params.space, values);
			return { saved: true };
		});
	}
};
