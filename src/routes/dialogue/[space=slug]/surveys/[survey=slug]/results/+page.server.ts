import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { pick } from '#lib/server/kernel/localized.ts';
import { readSurvey } from '#lib/server/dialogue/surveys/queries.ts';
import { surveyResults } from '#lib/server/dialogue/surveys/results.ts';
import { surveyView } from '#lib/server/dialogue/surveys/views.ts';

/** A survey's results, once the space publishes them (its own people see them before). */
export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const { space, survey, runs } = await readSurvey(database, params.space, params.survey, locals.user);
		if (!survey.resultsPublic && !runs) throw new NotFoundError('Survey results');
		return {
			space: { slug: space.slug, title: pick(space.title, locals.locale) },
			survey: surveyView(survey, locals.locale),
			results: await surveyResults(database, survey, locals.locale)
		};
	});
