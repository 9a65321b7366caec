import type { PageServerLoad } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { listAuditLog } from '#lib/server/accounts/audit-log.ts';
import { parseSearch } from '#lib/server/content/validation.ts';
import { db } from '#lib/server/app/database.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const { page } = parseSearch(url.searchParams);
		return { page, ...(await listAuditLog(await db(), locals.user, page)) };
	});
