import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { previewArticle } from '#lib/server/content/editing.ts';

export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => ({
		id: Number(params.id),
		...(await previewArticle(await db(), locals.user, locals.locale, Number(params.id)))
	}));
