import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { csvStreamResponse } from '#lib/server/kernel/csv.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { reportFilterShape } from '#lib/server/dialogue/map-reports/input.ts';
import { publicReportDownload } from '#lib/server/dialogue/map-reports/page.ts';
import { reportCsv } from '#lib/server/dialogue/map-reports/views.ts';

/** GET /dialogue/<space>/reports.csv: the public reports (with the page's filters), public points only, written as read. */
export const GET: RequestHandler = ({ url, params, locals }) =>
	forApi(locals.locale, async () => {
		const filter = readQuery(url.searchParams, reportFilterShape, 'dialogue');
		const { space, batches } = await publicReportDownload(await db(), params.space, filter, locals.locale);
		const { header, records } = reportCsv(space, locals.locale);
		async function* rows() {
			for await (const reports of batches) yield records(reports);
		}
		return csvStreamResponse(`${space.slug}-reports.csv`, header, rows());
	});
