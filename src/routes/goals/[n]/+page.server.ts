import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { fields } from '#lib/server/kernel/input.ts';
import { getGoal } from '#lib/server/taxonomy/goals.ts';
import { inspirationCounts } from '#lib/server/content/facets.ts';
import { findInspiration } from '#lib/server/content/listing.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	// Only 1–17 written plainly is a goal's address: "016" or "16.0" names no page (a 404).
	const n = fields.goal.safeParse(params.n);
	const database = await db();
	const goal = n.success
		? await getGoal(database, locals.locale, n.data, await inspirationCounts(database, locals.locale))
		: null;
	if (!goal) error(404, messages(locals.locale).errors.notFound);
	const inspiration = await findInspiration(
		database,
		locals.locale,
		{ sdg: { goal: goal.number }, page: 1 },
		12
	);
	return { goal, inspiration };
};
