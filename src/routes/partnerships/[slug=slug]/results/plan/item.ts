import { redirect } from '@sveltejs/kit';
import { localizePath } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { forAction } from '#lib/server/kernel/http.ts';
import { requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { mayPlan } from './access.ts';

type Database = Awaited<ReturnType<typeof db>>;
interface Event {
	request: Request;
	locals: App.Locals;
	params: { slug: string; id: number | string };
}

/**
 * A form of an item's page: the change, with what was typed shown again if it is refused, and the
 * item's page again with its confirmation when it is done.
 */
export const itemAction =
	(
		name: string,
		change: (
			database: Database,
			actor: App.Locals['user'],
			slug: string,
			id: number,
			form: FormData
		) => Promise<unknown>
	) =>
	async ({ request, locals, params }: Event) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { action: name, values: typedValues(form) }, async () => {
			await mayPlan(locals.user, params.slug);
			await change(await db(), locals.user, params.slug, Number(params.id), form);
			// Which of the repeated forms it was (a step, a period) is in its values.
			return { action: name, done: true as const, values: typedValues(form) };
		});
	};

/** Removing the item: gone, so back to its step of the plan, which confirms it. */
export const removeAction =
	(
		name: 'removeResult' | 'removeIndicator' | 'removeActivity',
		step: string,
		change: (
			database: Database,
			actor: App.Locals['user'],
			slug: string,
			id: number,
			form: FormData
		) => Promise<unknown>
	) =>
	async (event: Event) => {
		const answer = await itemAction(name, change)(event);
		if ('done' in answer) {
			const plan = localizePath(event.locals.locale, `/partnerships/${event.params.slug}/results/plan`);
			redirect(303, `${plan}?done=${name}#${step}`);
		}
		return answer;
	};
