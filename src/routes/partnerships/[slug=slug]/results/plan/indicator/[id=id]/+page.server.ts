import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { readForm } from '#lib/server/kernel/input.ts';
import {
	addPeriod,
	editIndicator,
	editPeriod,
	removeIndicator,
	removePeriod
} from '#lib/server/results/planning/commands.ts';
import { periodRef } from '#lib/server/results/planning/input.ts';
import { planningPage } from '../../access.ts';
import { itemAction, removeAction } from '../../item.ts';

// One indicator of the plan: its form with the baseline, its periods each with its target, a new
// period, and removing it with its figures.

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const page = await planningPage(locals, params.slug, url);
	const owner = page.planning.results.find((r) => r.indicators.some((i) => i.id === params.id));
	const item = owner?.indicators.find((i) => i.id === params.id);
	if (!owner || !item) error(404, messages(locals.locale).errors.notFound);
	return {
		...page,
		owner: { id: owner.id, place: owner.place, level: owner.level, title: owner.title },
		item
	};
};

/** Which period a period's form is about (a hidden field of the form). */
const periodOf = (form: FormData) => readForm(form, periodRef, 'results').period;

export const actions: Actions = {
	save: itemAction('editIndicator', editIndicator),
	remove: removeAction('removeIndicator', 'indicators', removeIndicator),
	addPeriod: itemAction('addPeriod', (database, actor, slug, id, form) => {
		form.set('indicator', String(id));
		return addPeriod(database, actor, slug, form);
	}),
	savePeriod: itemAction('editPeriod', (database, actor, slug, _id, form) =>
		editPeriod(database, actor, slug, periodOf(form), form)
	),
	removePeriod: itemAction('removePeriod', (database, actor, slug, _id, form) =>
		removePeriod(database, actor, slug, periodOf(form), form)
	)
};
