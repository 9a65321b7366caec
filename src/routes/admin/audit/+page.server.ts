import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/core/http.ts';
import { listAuditLog } from '#lib/server/core/audit.ts';
import { parseSearch } from '#lib/server/content/validation.ts';
import { db } from '#lib/server/db/app.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const { page } = parseSearch(url.searchParams);
		return { page, ...(await listAuditLog(await db(), locals.user, page)) };
	});
