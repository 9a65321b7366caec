import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import {
	forOpen311,
	open311Answer,
	open311Error,
	open311Requests
} from '#lib/server/dialogue/map-reports/open311.ts';
import { open311Create } from '#lib/server/dialogue/map-reports/open311-keys.ts';

/**
 * GET /open311/v2/requests.json (or .xml)?jurisdiction_id=<space>: the space's public reports, with
 * Open311's filters (service_request_id, service_code, status, start_date, end_date) and page,
 * page_size.
 */
export const GET: RequestHandler = ({ url, params }) =>
	forOpen311(params.format, async () =>
		open311Answer(
			params.format,
			'requests',
			await open311Requests(await db(), url.searchParams, url.origin, answerLanguage(url.searchParams))
		)
	);

/**
 * POST /open311/v2/requests.json (or .xml; form-encoded, with api_key and jurisdiction_id): an
 * Open311 client creates a report in the space its key is for. Open to other sites (no cookie
 * counts here: the key is the credential).
 */
export const POST: RequestHandler = ({ request, url, params }) =>
	forOpen311(params.format, async () => {
		const form = await request.formData().catch(() => null);
		if (!form) {
			return open311Error(400, 'The body is not a form (application/x-www-form-urlencoded)', params.format);
		}
		const created = await open311Create(await db(), form, answerLanguage(url.searchParams));
		if (created === 'forbidden') {
			return open311Error(403, 'api_key is not valid for this jurisdiction_id', params.format);
		}
		return open311Answer(params.format, 'requests', created, 201);
	});
