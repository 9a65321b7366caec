import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { getGoal } from '#lib/server/taxonomy/goals.ts';
import { findInspiration } from '#lib/server/content/service.ts';
import { inspirationCounts } from '#lib/server/content/queries.ts';

export const load: PageServerLoad = async ({ locals, params }) => {
	// Only 1–17 written plainly; "016" or "16.0" is not a goal's address.
	const n = /^(1[0-7]|[1-9])$/.test(params.n) ? Number(params.n) : 0;
	const database = await db();
	const goal = n
		? await getGoal(database, locals.locale, n, await inspirationCounts(database, locals.locale))
		: null;
	if (!goal) error(404, messages(locals.locale).errors.notFound);
	const { result } = await findInspiration(
		database,
		locals.locale,
		new URLSearchParams({ sdg: String(n) }),
		12
	);
	return { goal, inspiration: result };
};
