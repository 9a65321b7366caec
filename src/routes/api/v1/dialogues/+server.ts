import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { readSpaceListApiQuery } from '#lib/server/dialogue/spaces/input.ts';
import { findSpaces } from '#lib/server/dialogue/spaces/listing.ts';
import { dialogueCsvHeader, dialogueCsvRecord, dialogueListJson } from '#lib/server/dialogue/views.ts';

/** GET /api/v1/dialogues: the list's filters plus lang, page, per_page and format=csv. */
export const GET: RequestHandler = ({ url }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { filter, lang, format, perPage } = readSpaceListApiQuery(url.searchParams);
		// The CSV is the whole filtered list; JSON pages like the other lists.
		const result = await findSpaces(await db(), lang, filter, perPage);
		if (format === 'csv') {
			return csvResponse(
				'dialogues.csv',
				dialogueCsvHeader,
				result.rows.map((s) => dialogueCsvRecord(url.origin, lang, s))
			);
		}
		return Response.json(dialogueListJson(url.origin, lang, result));
	});
