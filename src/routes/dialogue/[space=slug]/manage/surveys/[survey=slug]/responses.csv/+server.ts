import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { fullResponses } from '#lib/server/dialogue/surveys/builder.ts';
import { responsesCsv } from '#lib/server/dialogue/surveys/views.ts';

/** GET …/manage/surveys/<survey>/responses.csv: every response with names, for whoever runs the space (audited). */
export const GET: RequestHandler = ({ params, locals, getClientAddress }) =>
	forApi(locals.locale, async () => {
		const { survey, responses } = await fullResponses(
			await db(),
			locals.user,
			params.space,
			params.survey,
			getClientAddress()
		);
		const { header, records } = responsesCsv(survey, responses, locals.locale, true);
		return csvResponse(`${params.space}-${survey.slug}-full.csv`, header, records);
	});
