import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { streamedBody, streamedResponse } from '#lib/server/kernel/streamed.ts';
import { reportFilterShape } from '#lib/server/dialogue/map-reports/input.ts';
import { publicReportDownload } from '#lib/server/dialogue/map-reports/page.ts';
import { reportGeoJson } from '#lib/server/dialogue/map-reports/views.ts';

/** GET /dialogue/<space>/reports.geojson: the public reports as GeoJSON, public points only, written as read. */
export const GET: RequestHandler = ({ url, params, locals }) =>
	forApi(locals.locale, async () => {
		const filter = readQuery(url.searchParams, reportFilterShape, 'dialogue');
		const { space, batches } = await publicReportDownload(await db(), params.space, filter, locals.locale);
		return streamedResponse(
			streamedBody(reportGeoJson(space, batches, locals.locale, url.origin)),
			'application/geo+json; charset=utf-8',
			`${space.slug}-reports.geojson`
		);
	});
