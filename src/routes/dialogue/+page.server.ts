import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { can } from '#lib/server/kernel/policy.ts';
import { listedSpaceStatuses, readSpaceFilter, spacePageSize } from '#lib/server/dialogue/spaces/input.ts';
import { findSpaces, spaceFilterOptions } from '#lib/server/dialogue/spaces/listing.ts';
import { dialoguePolicy } from '#lib/server/dialogue/policy.ts';
import { listThemes } from '#lib/server/taxonomy/themes.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';

// A public list: plain HTML and a GET form, no client code.
export const csr = false;

export const load: PageServerLoad = async ({ locals, url }) => {
	const database = await db();
	const { filter, result } = await forPage(locals.locale, async () => {
		const filter = readSpaceFilter(url.searchParams);
		return { filter, result: await findSpaces(database, locals.locale, filter, spacePageSize) };
	});
	if (result.page > result.pages) error(404, messages(locals.locale).errors.notFound);
	const [options, themes, goals] = await Promise.all([
		spaceFilterOptions(database, locals.locale),
		listThemes(database, locals.locale),
		listGoals(database, locals.locale)
	]);
	return {
		canCreate: can(locals.user, dialoguePolicy.createSpace),
		statuses: listedSpaceStatuses,
		filter,
		result,
		options,
		themes: themes.map((t) => ({ key: t.key, name: t.name })),
		goals: goals.map((g) => ({ number: g.number, title: g.shortName }))
	};
};
