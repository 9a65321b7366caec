import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { NotFoundError } from '#lib/server/kernel/errors.ts';
import { getPartnership } from '#lib/server/partnerships/queries.ts';
import { parseLang } from '#lib/server/content/validation.ts';
import { partnershipJson } from '#lib/server/partnerships/api.ts';

export const GET: RequestHandler = ({ url, params }) => {
	const requested = url.searchParams.get('lang');
	return forApi(requested === 'en' ? 'en' : 'sv', async () => {
		const lang = parseLang(url.searchParams, 'sv');
		const found = await getPartnership(await db(), lang, params.slug);
		if (!found) throw new NotFoundError('partnership');
		return Response.json(partnershipJson(url.origin, lang, found));
	});
};
