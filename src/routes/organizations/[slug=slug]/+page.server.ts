import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { getOrganization } from '#lib/server/organizations/queries.ts';
import { listPartnerships } from '#lib/server/partnerships/queries.ts';
import { cardsByIds } from '#lib/server/content/queries.ts';
import { countyNames } from '#lib/server/taxonomy/counties.ts';
import { can } from '#lib/server/kernel/policy.ts';
import { organizationsPolicy } from '#lib/server/organizations/policy.ts';
import { membershipIn } from '#lib/server/organizations/members/queries.ts';

/** An organization's page: the organization, its partnerships, and the inspiration that mentions it. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const database = await db();
	const organization = await getOrganization(database, locals.locale, params.slug);
	if (!organization) error(404, messages(locals.locale).errors.notFound);
	const [partnerships, articles, membership] = await Promise.all([
		organization.partnershipIds.length
			? listPartnerships(database, locals.locale, { page: 1, members: [organization.id] }, 200).then(
					(r) => r.rows
				)
			: [],
		cardsByIds(database, locals.locale, organization.articleIds.slice(0, 20)),
		locals.user ? membershipIn(database, locals.user.id, organization.id) : null
	]);
	return {
		organization,
		partnerships,
		articles,
		// A signed-in person's part in it: their work here, or the way to ask for access.
		member: membership !== null,
		manageMembers: Boolean(membership?.admin) || can(locals.user, organizationsPolicy.manageMembers),
		countyName: organization.county ? (countyNames()[organization.county] ?? null) : null
	};
};
