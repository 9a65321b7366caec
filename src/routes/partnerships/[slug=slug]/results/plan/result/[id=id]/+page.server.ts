import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { editResult, removeResult } from '#lib/server/results/planning/commands.ts';
import { planningPage } from '../../access.ts';
import { itemAction, removeAction } from '../../item.ts';

// One result (objective) of the plan: its form, and removing it with what hangs under it.

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const page = await planningPage(locals, params.slug, url);
	const item = page.planning.results.find((r) => r.id === params.id);
	if (!item) error(404, messages(locals.locale).errors.notFound);
	return { ...page, item };
};

export const actions: Actions = {
	save: itemAction('editResult', editResult),
	remove: removeAction('removeResult', 'objectives', removeResult)
};
