import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { mayOn } from '#lib/server/kernel/policy.ts';
import { getPartnership } from '#lib/server/partnerships/queries.ts';
import { resultsPolicy } from '#lib/server/results/policy.ts';
import { frameworkView } from '#lib/server/results/views.ts';

/** A partnership's whole results framework: public, like the partnership (its page shows a summary). */
export const load: PageServerLoad = async ({ locals, params }) => {
	const database = await db();
	const partnership = await getPartnership(database, locals.locale, params.slug);
	if (!partnership) error(404, messages(locals.locale).errors.notFound);
	const [canImport, results] = await Promise.all([
		mayOn(locals.user, resultsPolicy.editFramework, { db: database, id: partnership.id }),
		frameworkView(database, locals.locale, partnership.id)
	]);
	const name = [...partnership.swedish, ...partnership.international].map((o) => o.name).join(' – ');
	return { slug: partnership.slug, name, canImport, results };
};
