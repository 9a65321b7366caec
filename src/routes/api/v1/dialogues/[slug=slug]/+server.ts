import type { RequestHandler } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forApi } from '#lib/server/kernel/http.ts';
import { answerLanguage } from '#lib/server/kernel/input.ts';
import { readSpaceApiQuery } from '#lib/server/dialogue/spaces/input.ts';
import { getSpace } from '#lib/server/dialogue/spaces/queries.ts';
import { dialogueJson } from '#lib/server/dialogue/views.ts';

/** GET /api/v1/dialogues/<slug>: one space (never a draft: open data is what anyone may see). */
export const GET: RequestHandler = ({ url, params }) =>
	forApi(answerLanguage(url.searchParams), async () => {
		const { lang } = readSpaceApiQuery(url.searchParams);
		const space = await getSpace(await db(), lang, params.slug, null);
		return Response.json(dialogueJson(url.origin, lang, space));
	});
