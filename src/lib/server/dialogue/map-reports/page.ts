import type { Locale } from '#lib/i18n/index.ts';
import type { Database } from '../../kernel/database.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { dialoguePolicy } from '../policy.ts';
import type { ReportStatus } from '../schema.ts';
import type { ReportFilter } from './input.ts';
import { reportMap } from './map.ts';
import {
	allPublicReports,
	handlesReports,
	publicReportCells,
	publicReports,
	reportFigures,
	reportRefusal,
	reportSpace,
	teamReports
} from './queries.ts';

// What the public reports page shows, read at once: the space's set-up, the map of the filtered
// public reports, a page of them as a table, the figures, and whether the reader may report or
// handle reports.

export async function reportsPage(
	db: Database,
	slug: string,
	filter: ReportFilter,
	actor: Actor,
	locale: Locale
) {
	const space = await reportSpace(db, slug, locale);
	const cells = await publicReportCells(db, space, { ...filter, box: undefined });
	// Without a box, the map's groups are the list's reports: their counts add up to its total.
	const total = filter.box ? undefined : cells.reduce((n, c) => n + c.count, 0);
	const [list, figures, refusal, team] = await Promise.all([
		publicReports(db, space, filter, total),
		reportFigures(db, space.id),
		reportRefusal(db, actor, space),
		handlesReports(actor, space)
	]);
	return {
		space: {
			slug: space.slug,
			title: space.title,
			review: space.review,
			privacy: space.privacy,
			gridMeters: space.gridMeters,
			categories: space.categories.map(({ key, title, titleLang }) => ({ key, title, titleLang }))
		},
		categoryKeys: Object.fromEntries(space.categories.map((c) => [c.id, c.key])) as Record<number, string>,
		filter,
		map: reportMap(space, cells, filter, locale),
		list,
		figures,
		refusal,
		team
	};
}

/**
 * Every public report matching the filter, for a download: the space at once (a 404 before any
 * byte is sent), the reports in batches as the download is written.
 */
export async function publicReportDownload(db: Database, slug: string, filter: ReportFilter, locale: Locale) {
	const space = await reportSpace(db, slug, locale);
	return { space, batches: allPublicReports(db, space, filter) };
}

/** The team's list of the space's reports (403 for anyone else). */
export async function teamReportsPage(
	db: Database,
	slug: string,
	filter: { status?: ReportStatus; page?: number },
	actor: Actor,
	locale: Locale
) {
	const space = await reportSpace(db, slug, locale);
	await authorizeOn(actor, dialoguePolicy.handleReports, space.record.actors);
	return {
		space: { slug: space.slug, title: space.title },
		categories: Object.fromEntries(space.categories.map((c) => [c.id, c.title])) as Record<number, string>,
		filter,
		list: await teamReports(db, space, filter)
	};
}
