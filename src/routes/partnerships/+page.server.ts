import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { messages } from '#lib/i18n/index.ts';
import { db } from '#lib/server/app/database.ts';
import { forPage } from '#lib/server/kernel/http.ts';
import { can } from '#lib/server/kernel/policy.ts';
import { readPartnershipFilter } from '#lib/server/partnerships/input.ts';
import { findPartnerships } from '#lib/server/partnerships/queries.ts';
import { partnershipFilterOptions } from '#lib/server/partnerships/pickers.ts';
import { partnershipMap } from '#lib/server/partnerships/map.ts';
import { partnershipsPolicy } from '#lib/server/partnerships/policy.ts';
import { listThemes } from '#lib/server/taxonomy/themes.ts';
import { listGoals } from '#lib/server/taxonomy/goals.ts';
import { countyNames } from '#lib/server/taxonomy/counties.ts';

export const load: PageServerLoad = async ({ locals, url }) => {
	const database = await db();
	const { filter, result } = await forPage(locals.locale, async () => {
		const filter = readPartnershipFilter(url.searchParams);
		return { filter, result: await findPartnerships(database, locals.locale, filter, 50, { withMap: true }) };
	});
	if (result.page > result.pages) error(404, messages(locals.locale).errors.notFound);
	const [themes, goals, options] = await Promise.all([
		listThemes(database, locals.locale),
		listGoals(database, locals.locale),
		partnershipFilterOptions(database, locals.locale)
	]);
	const counties = countyNames();
	return {
		canCreate: can(locals.user, partnershipsPolicy.create),
		filter,
		result: { ...result, map: undefined },
		map: partnershipMap(result.map, locals.locale),
		themes: themes.map((t) => ({ key: t.key, name: t.name })),
		goals: goals.map((g) => ({ number: g.number, name: g.shortName })),
		targets: options.targets,
		countries: options.countries,
		counties: options.counties
			.map((code) => ({ code, name: counties[code] ?? code }))
			.sort((a, b) => a.name.localeCompare(b.name, 'sv'))
	};
};
