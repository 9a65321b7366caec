import type { Actions, PageServerLoad } from './$types';
import { forAction, forPage } from '#lib/server/kernel/http.ts';
import { readQuery, requestForm, typedValues } from '#lib/server/kernel/input.ts';
import { db } from '#lib/server/app/database.ts';
import { reportPageShape } from '#lib/server/dialogue/map-reports/input.ts';
import { followsReport, reportDetail, reportSpace } from '#lib/server/dialogue/map-reports/queries.ts';
import { changeReportStatus, followReport } from '#lib/server/dialogue/map-reports/commands.ts';
import { reportSteps } from '#lib/dialogue-values.ts';

// One report: what anyone sees (its public place, status and history); its reporter also sees
// their own description of the place; the space's team sees the exact point and moves its status.
export const load: PageServerLoad = async ({ locals, params, url }) =>
	forPage(locals.locale, async () => {
		const database = await db();
		const shown = readQuery(url.searchParams, reportPageShape, 'dialogue');
		const space = await reportSpace(database, params.space, locals.locale);
		const { report, team } = await reportDetail(database, space, Number(params.id), locals.user);
		const category = space.categories.find((c) => c.id === report.categoryId);
		return {
			space: { slug: space.slug, title: space.title, privacy: space.privacy, gridMeters: space.gridMeters },
			category: category ? { title: category.title, titleLang: category.titleLang } : null,
			report,
			team,
			steps: team ? reportSteps[report.status] : [],
			following: await followsReport(database, locals.user, report.id),
			shown
		};
	});

export const actions: Actions = {
	// Following is a choice of one's own: `follow=yes` starts, anything else stops.
	follow: async ({ request, locals, params }) => {
		const form = await requestForm(request);
		return forAction(locals.locale, { values: {} }, async () => {
			const follow = form?.get('follow') === 'yes';
			await followReport(await db(), locals.user, params.space, Number(params.id), follow, locals.locale);
			return { followed: follow };
		});
	},
	status: async ({ request, locals, params }) => {
		const form = await requestForm(request);
		const values = form ? typedValues(form) : {};
		return forAction(locals.locale, { values }, async () => ({
			saved: await changeReportStatus(
				await db(),
				locals.user,
				params.space,
				Number(params.id),
				form ?? {},
				locals.locale
			)
		}));
	}
};
