import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { getOrganization } from '#lib/server/organizations/queries.ts';
import { listPartnerships } from '#lib/server/partnerships/queries.ts';
import { cardsByIds } from '#lib/server/content/queries.ts';
import { countyNames } from '#lib/server/taxonomy/counties.ts';

/** An organization's page: the organization, its partnerships, and the inspiration that mentions it. */
export const load: PageServerLoad = async ({ locals, params }) => {
	const database = await db();
	const organization = await getOrganization(database, locals.locale, params.slug);
	if (!organization) error(404, messages(locals.locale).errors.notFound);
	const [partnerships, articles] = await Promise.all([
		organization.partnershipIds.length
			? listPartnerships(database, locals.locale, { page: 1, members: [organization.id] }, 200).then(
					(r) => r.rows
				)
			: [],
		cardsByIds(database, locals.locale, organization.articleIds.slice(0, 20))
	]);
	return {
		organization,
		partnerships,
		articles,
		countyName: organization.county ? (countyNames()[organization.county] ?? null) : null
	};
};
