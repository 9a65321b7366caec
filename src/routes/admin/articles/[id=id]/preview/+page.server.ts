import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/core/http.ts';
import { db } from '#lib/server/db/app.ts';
import { previewArticle } from '#lib/server/content/editing.ts';

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => ({
		id: Number(params.id),
		...(await previewArticle(await db(), locals.user, locals.locale, Number(params.id)))
	}));
