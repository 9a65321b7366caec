import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readForm, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { themeMergers } from '#lib/server/app/modules.ts';
import {
	addTopic,
	listTopicsForEditing,
	mergeForm,
	mergeTopics,
	renameTopic
} from '#lib/server/taxonomy/topics.ts';
import { themeUsage } from '#lib/server/content/queries.ts';

export const load: PageServerLoad = async ({ locals }) => ({
	// The counts are the inspiration bank's: how many articles carry each theme.
	themes: await forPage(locals.locale, async () => {
		const database = await db();
		return listTopicsForEditing(database, locals.user, await themeUsage(database));
	})
});

/** What was typed into the named fields, to show again (texts only, never a list). */
function typed<K extends string>(form: FormData, names: readonly K[]): Record<K, string> {
	const values = typedValues(form);
	return Object.fromEntries(names.map((n) => [n, String(values[n] ?? '')])) as Record<K, string>;
}

// Each failure returns what was typed, tagged with the form it came from (`form`), so the page
// fills in and marks the right one again.
export const actions: Actions = {
	add: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = { form: 'add', ...typed(form, ['nameSv', 'nameEn']) };
		return forAction(locals.locale, values, async () => ({
			added: await addTopic(await db(), locals.user, form)
		}));
	},
	rename: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const values = { form: 'rename', ...typed(form, ['key', 'nameSv', 'nameEn']) };
		return forAction(locals.locale, values, async () => {
			await renameTopic(await db(), locals.user, form);
			return { renamed: values.key };
		});
	},
	merge: async ({ request, locals }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const { topic = '', into = '' } = readForm(form, mergeForm);
		return forAction(locals.locale, { form: 'merge', topic, into }, async () => ({
			merged: await mergeTopics(await db(), locals.user, topic, into, themeMergers)
		}));
	}
};
