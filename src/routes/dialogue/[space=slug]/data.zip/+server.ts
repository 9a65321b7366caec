import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { spaceZip } from '#lib/server/dialogue/open-data/zip.ts';

/**
 * GET /dialogue/<space>/data.zip (and /en/…): everything public in the space as CSV files with a
 * README describing every column. Addresses inside are in the language asked for.
 */
export const GET: RequestHandler = ({ url, params, locals }) =>
	forPage(locals.locale, async () => {
		const { slug, bytes } = await spaceZip(await db(), url.origin, locals.locale, params.space);
		return new Response(bytes, {
			headers: {
				'content-type': 'application/zip',
				'content-disposition': `attachment; filename="${slug}.zip"`
			}
		});
	});
