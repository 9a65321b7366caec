import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { fields, readQuery } from '#lib/server/kernel/input.ts';
import { mayOn } from '#lib/server/kernel/policy.ts';
import { getPartnership } from '#lib/server/partnerships/queries.ts';
import { partnershipsPolicy } from '#lib/server/partnerships/policy.ts';
import { frameworkView } from '#lib/server/results/views.ts';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const database = await db();
	const partnership = await getPartnership(database, locals.locale, params.slug);
	if (!partnership) error(404, messages(locals.locale).errors.notFound);
	const [canEdit, results] = await Promise.all([
		mayOn(locals.user, partnershipsPolicy.edit, { db: database, id: partnership.id }),
		frameworkView(database, locals.locale, partnership.id)
	]);
	// `?created`: the partnership was just registered (the new-partnership form redirects here).
	const { created } = readQuery(url.searchParams, { created: fields.present });
	return { partnership, canEdit, results, created };
};
