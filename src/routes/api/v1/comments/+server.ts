import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { readCommentListApiQuery } from '#lib/server/dialogue/open-data/input.ts';
import { listComments } from '#lib/server/dialogue/open-data/queries.ts';
import { commentListJson } from '#lib/server/dialogue/open-data/views.ts';
import { commentTable } from '#lib/server/dialogue/open-data/tables.ts';
import { csvResponse } from '#lib/server/kernel/csv.ts';

/** GET /api/v1/comments: public comments (space, proposal), oldest first; lang, page, per_page, format=csv. */
export const GET: RequestHandler = ({ url }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { filter, lang, format } = readCommentListApiQuery(url.searchParams);
		const page = await listComments(await db(), filter);
		if (format === 'csv') {
			const table = commentTable(url.origin, lang);
			return csvResponse('comments.csv', table.header, page.items.map(table.row));
		}
		return Response.json(commentListJson(url.origin, lang, page));
	});
