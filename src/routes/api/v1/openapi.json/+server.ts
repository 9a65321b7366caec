import type { RequestHandler } from './$types';
import { apiDocument } from '#lib/server/app/api.ts';

/** GET /api/v1/openapi.json: the API's own description (OpenAPI 3.1), built from its schemas. */
export const GET: RequestHandler = () =>
	Response.json(apiDocument(), { headers: { 'cache-control': 'public, max-age=300' } });
