import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import {
	forOpen311,
	open311Answer,
	open311Definition,
	open311Error
} from '#lib/server/dialogue/map-reports/open311.ts';

/** GET /open311/v2/services/<code>.json (or .xml)?jurisdiction_id=<space>: a service definition. */
export const GET: RequestHandler = ({ url, params }) =>
	forOpen311(params.format, async () => {
		if (!/^[a-z0-9-]{1,40}$/.test(params.code)) return open311Error(404, 'Service not found', params.format);
		return open311Answer(
			params.format,
			'definition',
			await open311Definition(await db(), url.searchParams, params.code, answerLanguage(url.searchParams))
		);
	});
