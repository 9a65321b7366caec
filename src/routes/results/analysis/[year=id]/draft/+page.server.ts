import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { draftView } from '#lib/server/results/analysis/views.ts';

// The draft, built from today's data: what publishing would freeze now (editors only).
export const csr = false;

export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => ({
		...(await draftView(await db(), locals.user, locals.locale, params.year)),
		origin: url.origin
	}));
