import type { Actions, PageServerLoad } from './$types';
import { formValues, requestForm } from '#lib/server/kernel/input.ts';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { deadlineShape, deadlines, setDeadline } from '#lib/server/results/reports/deadlines.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => ({ deadlines: await deadlines(await db(), locals.user) }));

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const typed = formValues(form, deadlineShape);
		return forAction(
			locals.locale,
			{ year: String(typed.year ?? ''), due: String(typed.due ?? '') },
			async () => ({
				saved: await setDeadline(await db(), locals.user, form)
			})
		);
	}
};
