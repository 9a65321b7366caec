import { redirect } from '@sveltejs/kit';
import { localizePath } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { frameworkToEdit } from '#lib/server/results/policy.ts';
import { goalOptions, planningOf, principleOptions } from '#lib/server/results/planning/queries.ts';

/**
 * What every planning page loads: signed out → the sign-in page (and back); not a coordinator of
 * this partnership, an editor or an admin → 403; else the plan, and what its pickers offer.
 */
export async function planningPage(locals: App.Locals, slug: string, url: URL) {
	const user = locals.user;
	if (!user) {
		redirect(303, `${localizePath(locals.locale, '/sign-in')}?to=${encodeURIComponent(url.pathname)}`);
	}
	return forPage(locals.locale, async () => {
		const database = await db();
		const ref = await frameworkToEdit(database, user, slug);
		return {
			slug: ref.slug,
			planning: await planningOf(database, ref.id),
			principles: await principleOptions(database),
			goals: await goalOptions(database)
		};
	});
}

/** Whether the person may change this partnership's plan, asked before a form is read. */
export async function mayPlan(user: App.Locals['user'], slug: string): Promise<void> {
	await frameworkToEdit(await db(), user, slug);
}
