import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { addActivity, addIndicator, addResult, savePlan } from '#lib/server/results/planning/commands.ts';
import { planQuery } from '#lib/server/results/planning/input.ts';
import { mayPlan, planningPage } from './access.ts';

// The planning view: the steps of the logical framework approach as sections of one page, each
// with plain forms (named actions) that work without JavaScript. An action answers with the page
// again, at the section acted on (the form's action carries its #fragment), with its confirmation.

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const page = await planningPage(locals, params.slug, url);
	const { done } = await forPage(locals.locale, () => readQuery(url.searchParams, planQuery, 'results'));
	return { ...page, removed: done ?? null };
};

type Change = (
	database: Awaited<ReturnType<typeof db>>,
	actor: App.Locals['user'],
	slug: string,
	form: FormData
) => Promise<unknown>;

/** A form of the page: its change, and what was typed (shown again if it is refused). */
const action =
	<N extends string>(name: N, change: Change) =>
	async ({ request, locals, params }: RequestEvent) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { action: name, values: typedValues(form) }, async () => {
			await mayPlan(locals.user, params.slug);
			await change(await db(), locals.user, params.slug, form);
			// Which of the repeated forms it was (a step, a period) is in its values.
			return { action: name, done: true as const, values: typedValues(form) };
		});
	};

export const actions: Actions = {
	savePlan: action('savePlan', savePlan),
	addResult: action('addResult', addResult),
	addIndicator: action('addIndicator', addIndicator),
	addActivity: action('addActivity', addActivity)
};
