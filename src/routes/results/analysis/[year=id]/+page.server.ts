import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { publishedView } from '#lib/server/results/analysis/views.ts';

// The year's analysis as last published: public, server-rendered, no client code.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => ({
		...(await publishedView(await db(), locals.user, locals.locale, params.year)),
		origin: url.origin
	}));
