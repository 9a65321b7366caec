import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { publishedView } from '#lib/server/results/analysis/views.ts';

// One published version, frozen: the address an article cites.
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => ({
		...(await publishedView(await db(), locals.user, locals.locale, params.year, params.version)),
		origin: url.origin
	}));
