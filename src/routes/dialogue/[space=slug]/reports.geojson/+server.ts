import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';
import { reportFilterShape } from '#lib/server/dialogue/map-reports/input.ts';
import { publicReportDownload } from '#lib/server/dialogue/map-reports/page.ts';
import { reportGeoJson } from '#lib/server/dialogue/map-reports/views.ts';

/** GET /dialogue/<space>/reports.geojson: the public reports as GeoJSON, public points only. */
export const GET: RequestHandler = ({ url, params, locals }) =>
	forApi(locals.locale, async () => {
		const filter = readQuery(url.searchParams, reportFilterShape, 'dialogue');
		const { space, reports } = await publicReportDownload(await db(), params.space, filter, locals.locale);
		return new Response(JSON.stringify(reportGeoJson(space, reports, locals.locale, url.origin)), {
			headers: {
				'content-type': 'application/geo+json; charset=utf-8',
				'content-disposition': `attachment; filename="${space.slug}-reports.geojson"`
			}
		});
	});
