import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { auditLogQuery } from '#lib/server/accounts/input.ts';
import { listAuditLog } from '#lib/server/accounts/queries.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { readQuery } from '#lib/server/kernel/input.ts';

export const load: PageServerLoad = async ({ locals, url }) =>
	forPage(locals.locale, async () => {
		const { page = 1 } = readQuery(url.searchParams, auditLogQuery, 'accounts');
		return { page, ...(await listAuditLog(await db(), locals.user, page)) };
	});
