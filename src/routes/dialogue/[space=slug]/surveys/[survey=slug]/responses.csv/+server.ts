import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { readSurvey, responsesForDownload } from '#lib/server/dialogue/surveys/queries.ts';
import { responsesCsv } from '#lib/server/dialogue/surveys/views.ts';

/** GET …/responses.csv: every response of a published survey, no names, only reviewed free text. */
export const GET: RequestHandler = ({ params, locals }) =>
	forApi(locals.locale, async () => {
		const database = await db();
		const { survey } = await readSurvey(database, params.space, params.survey, locals.user);
		if (!survey.resultsPublic) throw new NotFoundError('Survey results');
		const { header, records } = responsesCsv(
			survey,
			await responsesForDownload(database, survey.id, false),
			locals.locale,
			false
		);
		return csvResponse(`${params.space}-${survey.slug}.csv`, header, records);
	});
