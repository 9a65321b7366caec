import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import {
	articleFormValues,
	articleToFormValues,
	parseArticleForm
} from '#lib/server/content/article-form.ts';
import {
	editorMedia,
	editorOptions,
	loadForEditing,
	saveArticleContent
} from '#lib/server/content/editing.ts';
import {
	availableSteps,
	stockholmWallTime,
	takeStep,
	workflowStepNames,
	type WorkflowStep
} from '#lib/server/content/workflow.ts';
import { ValidationError } from '#lib/server/kernel/errors.ts';
import { mayOn } from '#lib/server/kernel/policy.ts';
import { contentPolicy } from '#lib/server/content/policy.ts';

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const id = Number(params.id);
		const [article, options, media] = await Promise.all([
			loadForEditing(database, locals.user, id),
			editorOptions(database, locals.user, locals.locale),
			editorMedia(database, locals.user)
		]);
		return {
			article,
			values: articleToFormValues(article),
			options,
			media,
			editable: await mayOn(locals.user, contentPolicy.edit, article),
			steps: availableSteps(locals.user, article.status),
			scheduledLocal: article.scheduledAt ? stockholmWallTime(new Date(article.scheduledAt)) : ''
		};
	});

export const actions: Actions = {
	save: async ({ request, locals, params }) => {
		const values = articleFormValues(await request.formData());
		return forAction(locals.locale, { values }, async () => {
			await saveArticleContent(await db(), locals.user, Number(params.id), parseArticleForm(values));
			return { saved: true };
		});
	},
	step: async ({ request, locals, params }) => {
		const form = await request.formData();
		const step = String(form.get('step') ?? '');
		const scheduledAt = String(form.get('scheduledAt') ?? '');
		return forAction(locals.locale, { scheduledAt }, async () => {
			if (!(workflowStepNames as string[]).includes(step)) {
				throw new ValidationError([{ field: 'status', code: 'invalidTransition' }]);
			}
			const status = await takeStep(await db(), locals.user, Number(params.id), step as WorkflowStep, {
				scheduledAt
			});
			return { stepped: status };
		});
	}
};
