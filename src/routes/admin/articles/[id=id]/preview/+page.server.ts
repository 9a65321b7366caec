import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { previewArticle } from '#lib/server/content/workspace/queries.ts';

// The preview's language is the address's: /en/admin/articles/7/preview shows the English text.
export const load: PageServerLoad = async ({ locals, params }) =>
	forPage(locals.locale, async () => ({
		id: params.id,
		...(await previewArticle(await db(), locals.user, locals.locale, params.id))
	}));
