import type { PageServerLoad } from './$types';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { can } from '#lib/server/kernel/policy.ts';
import { articleStatusCounts } from '#lib/server/content/workspace/queries.ts';
import { organizationsPolicy } from '#lib/server/organizations/policy.ts';
import { pendingAccessRequests } from '#lib/server/organizations/members/queries.ts';

export const load: PageServerLoad = async ({ locals }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		return {
			counts: await articleStatusCounts(database, locals.user),
			accessRequests: can(locals.user, organizationsPolicy.decideAccess)
				? await pendingAccessRequests(database)
				: 0
		};
	});
