import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { getOrganization } from '#lib/server/organizations/queries.ts';
import { countyNames } from '#lib/server/taxonomy/counties.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	const organization = await getOrganization(await db(), locals.locale, params.slug);
	if (!organization) error(404, messages(locals.locale).errors.notFound);
	return {
		organization,
		countyName: organization.county ? (countyNames()[organization.county] ?? null) : null
	};
};
