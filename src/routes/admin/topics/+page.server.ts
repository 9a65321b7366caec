import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { addTopic, listTopicsForEditing, mergeTopics, renameTopic } from '#lib/server/content/topics.ts';
import { db } from '#lib/server/app/database.ts';

export const load: PageServerLoad = async ({ locals }) => ({
	themes: await forPage(locals.locale, async () => listTopicsForEditing(await db(), locals.user))
});

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

// Each failure returns what was typed, tagged with the form it came from (`form`), so the page
// fills in and marks the right one again.
export const actions: Actions = {
	add: async ({ request, locals }) => {
		const form = await request.formData();
		const values = { form: 'add', nameSv: text(form, 'nameSv'), nameEn: text(form, 'nameEn') };
		return forAction(locals.locale, values, async () => {
			const key = await addTopic(await db(), locals.user, {
				name: { sv: values.nameSv, en: values.nameEn }
			});
			return { added: key };
		});
	},
	rename: async ({ request, locals }) => {
		const form = await request.formData();
		const values = {
			form: 'rename',
			key: text(form, 'key'),
			nameSv: text(form, 'nameSv'),
			nameEn: text(form, 'nameEn')
		};
		return forAction(locals.locale, values, async () => {
			await renameTopic(await db(), locals.user, values.key, { sv: values.nameSv, en: values.nameEn });
			return { renamed: values.key };
		});
	},
	merge: async ({ request, locals }) => {
		const form = await request.formData();
		const values = { form: 'merge', topic: text(form, 'topic'), into: text(form, 'into') };
		return forAction(locals.locale, values, async () => {
			return { merged: await mergeTopics(await db(), locals.user, values.topic, values.into) };
		});
	}
};
