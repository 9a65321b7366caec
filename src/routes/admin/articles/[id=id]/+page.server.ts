import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { fields, readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { mayOn } from '#lib/server/kernel/policy.ts';
import { db } from '#lib/server/app/database.ts';
import { contentPolicy } from '#lib/server/content/policy.ts';
import { formValuesOf } from '#lib/server/content/workspace/input.ts';
import { editorMedia, editorOptions, loadForEditing } from '#lib/server/content/workspace/queries.ts';
import { saveArticleContent, takeStep } from '#lib/server/content/workspace/commands.ts';
import { shareArticle, unshareArticle } from '#lib/server/content/workspace/sharing/commands.ts';
import { articleSharing } from '#lib/server/content/workspace/sharing/queries.ts';
import { availableSteps, stockholmWallTime } from '#lib/server/content/workspace/workflow.ts';

// The id is a number: the route's matcher says so.
export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		// Opening asks the article's rule first: someone else's draft is a 403 before anything is read.
		const article = await loadForEditing(database, locals.user, params.id);
		const ref = { db: database, id: article.id };
		const [options, media, editable, mayShare] = await Promise.all([
			editorOptions(database, locals.user, locals.locale),
			editorMedia(database, locals.user),
			mayOn(locals.user, contentPolicy.edit, ref),
			mayOn(locals.user, contentPolicy.share, ref)
		]);
		return {
			article,
			values: formValuesOf(article),
			options,
			media,
			editable,
			sharing: mayShare ? await articleSharing(database, locals.user, article.id) : null,
			steps: availableSteps(locals.user, article.status),
			scheduledLocal: article.scheduledAt ? stockholmWallTime(new Date(article.scheduledAt)) : '',
			// `?created`: the article was just made (the new-article form redirects here).
			created: readQuery(url.searchParams, { created: fields.present }).created
		};
	});

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { values: typedValues(form) }, async () => {
			await saveArticleContent(await db(), locals.user, params.id, form);
			return { saved: true };
		});
	},
	share: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { share: true }, async () => ({
			shared: await shareArticle(await db(), locals.user, params.id, form)
		}));
	},
	unshare: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		return forAction(locals.locale, { share: true }, async () => ({
			unshared: await unshareArticle(await db(), locals.user, params.id, form)
		}));
	},
	/**
	 * The status buttons send the editor's form: what was typed is saved first, so a step never
	 * leaves edits behind; if it cannot be saved, no step is taken and the edits come back with
	 * the problems. (A read-only editor sends no content, and an unchanged form is not saved
	 * again: the step alone.)
	 */
	step: async ({ request, locals, params }) => {
		const form = (await requestForm(request)) ?? new FormData();
		const database = await db();
		// `edited` is "no" only where the page's script saw no change since the last save.
		const saving = form.has('slug') && form.get('edited') !== 'no';
		if (saving) {
			const failed = await forAction(locals.locale, { values: typedValues(form) }, async () => {
				await saveArticleContent(database, locals.user, params.id, form);
				return null;
			});
			if (failed) return failed;
		}
		const { scheduledAt = '' } = typedValues(form);
		return forAction(locals.locale, { scheduledAt: String(scheduledAt), savedFirst: saving }, async () => ({
			stepped: await takeStep(database, locals.user, params.id, form),
			savedFirst: saving
		}));
	}
};
