import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { editActivity, removeActivity } from '#lib/server/results/planning/commands.ts';
import { planningPage } from '../../access.ts';
import { itemAction, removeAction } from '../../item.ts';

// One activity or milestone of the plan.

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const page = await planningPage(locals, params.slug, url);
	const item = page.planning.activities.find((a) => a.id === params.id);
	if (!item) error(404, messages(locals.locale).errors.notFound);
	return { ...page, item };
};

export const actions: Actions = {
	save: itemAction('editActivity', editActivity),
	remove: removeAction('removeActivity', 'activities', removeActivity)
};
