import { and, asc, count, desc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { pick, textLanguage } from '../../kernel/localized.ts';
import { mayOn, type Actor } from '../../kernel/policy.ts';
import { reads } from '../../kernel/sql.ts';
import {
	mapReport,
	mapReportCategory,
	mapReportAnswerHours,
	mapReportCell,
	mapReportEvent,
	mapReportFollow,
	mapReportSetup,
	type ReportPrecision,
	type ReportStatus
} from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import { participationRefusal, type Refusal } from '../proposals/queries.ts';
import { reportPageSize, type ReportFilter } from './input.ts';
import { media } from '../../media/schema.ts';
import { photoColumns, photoView, type ProposalPhoto } from '../proposals/photos.ts';
import type { Box } from './place.ts';
import type { ReportDistrict } from './schema.ts';

// Reads of reports on a map. Public reads name only the public point (`public_lat`/`public_lon`),
// never the exact one; the exact point and the reporter's own words about the place are read only
// for the space's team (`handleReports`).

type Reader = Database | Transaction;

export interface ReportCategoryView {
	id: number;
	key: string;
	title: string;
	titleLang: string;
	description: string;
}

/** A space that takes reports, as its pages and commands need it. */
export interface ReportSpace {
	record: SpaceRecord;
	id: number;
	slug: string;
	title: string;
	review: boolean;
	privacy: 'grid' | 'district';
	gridMeters: number;
	askPhoto: boolean;
	bbox: Box;
	municipalityCode: string | null;
	districts: ReportDistrict[];
	categories: ReportCategoryView[];
}

/** A public space that takes reports (404 for a draft, or a space without reports). */
export async function reportSpace(db: Reader, slug: string, locale: string): Promise<ReportSpace> {
	const record = await readSpace(db, { slug });
	if (record.status === 'draft') throw new NotFoundError('Dialogue space');
	const [[setup], categories] = await reads(
		db,
		() => db.select().from(mapReportSetup).where(eq(mapReportSetup.spaceId, record.id)),
		() =>
			db
				.select()
				.from(mapReportCategory)
				.where(eq(mapReportCategory.spaceId, record.id))
				.orderBy(asc(mapReportCategory.position), asc(mapReportCategory.id))
	);
	if (!setup) throw new NotFoundError('Dialogue space');
	return {
		record,
		id: record.id,
		slug: record.slug,
		title: pick(record.title, locale),
		review: setup.review,
		privacy: setup.privacy,
		gridMeters: setup.gridMeters,
		askPhoto: setup.askPhoto,
		bbox: setup.bbox,
		municipalityCode: setup.municipalityCode,
		districts: setup.districts,
		categories: categories.map((c) => ({
			id: c.id,
			key: c.key,
			title: pick(c.title, locale),
			titleLang: textLanguage(c.title, locale),
			description: pick(c.description, locale)
		}))
	};
}

/** Whether the space takes reports at all (the space page links to them). */
export async function takesReports(db: Reader, spaceId: number): Promise<boolean> {
	const [row] = await db
		.select({ spaceId: mapReportSetup.spaceId })
		.from(mapReportSetup)
		.where(eq(mapReportSetup.spaceId, spaceId));
	return !!row;
}

/** May the actor review and answer reports in this space (its team, whoever runs it, editors)? */
export const handlesReports = (actor: Actor, space: ReportSpace) =>
	mayOn(actor, dialoguePolicy.handleReports, space.record.actors);

/** Why the actor may not report in the space now, or null. */
export const reportRefusal = (db: Reader, actor: Actor, space: ReportSpace): Promise<Refusal | null> =>
	participationRefusal(
		db,
		actor,
		{
			id: space.id,
			slug: space.slug,
			title: space.title,
			status: space.record.status,
			moderation: space.record.moderation,
			requirements: space.record.requirements,
			supportThreshold: space.record.supportThreshold,
			supportWindowDays: space.record.supportWindowDays,
			answerDays: space.record.answerDays,
			opens: space.record.opens
		},
		'reports'
	);

/** The filter as SQL over public reports (the category by its key, the period back from now). */
function publicWhere(space: ReportSpace, filter: ReportFilter, now = new Date()): SQL {
	const r = mapReport;
	const parts: (SQL | undefined)[] = [eq(r.spaceId, space.id), eq(r.public, true)];
	if (filter.category) {
		const category = space.categories.find((c) => c.key === filter.category);
		parts.push(eq(r.categoryId, category?.id ?? -1));
	}
	if (filter.status) parts.push(eq(r.status, filter.status));
	if (filter.period)
		parts.push(gte(r.createdAt, new Date(now.getTime() - Number(filter.period) * 86_400_000)));
	if (filter.box) {
		const [w, s, e, n] = filter.box;
		parts.push(gte(r.publicLon, w), lte(r.publicLon, e), gte(r.publicLat, s), lte(r.publicLat, n));
	}
	return and(...parts)!;
}

/** One public point with how many reports of each category are there (no point: placed by words only). */
export interface ReportCell {
	lat: number | null;
	lon: number | null;
	categoryId: number;
	count: number;
}

/**
 * The public map's data: reports grouped by their public point and category. Public points are
 * already grid centres (or district centres), so a city's reports make a few hundred groups
 * however many there are; the map clusters those further.
 */
export async function publicReportCells(
	db: Reader,
	space: ReportSpace,
	filter: ReportFilter
): Promise<ReportCell[]> {
	// Without a period or a box, the counts the database keeps answer (map_report_cell).
	if (!filter.period && !filter.box) {
		const c = mapReportCell;
		const category = filter.category ? space.categories.find((k) => k.key === filter.category) : undefined;
		const rows = await db
			.select({
				lat: c.publicLat,
				lon: c.publicLon,
				categoryId: c.categoryId,
				count: sql<number>`sum(${c.reports})::int`
			})
			.from(c)
			.where(
				and(
					eq(c.spaceId, space.id),
					gt(c.reports, 0),
					filter.category ? eq(c.categoryId, category?.id ?? -1) : undefined,
					filter.status ? eq(c.status, filter.status) : undefined
				)
			)
			.groupBy(c.publicLat, c.publicLon, c.categoryId);
		return rows.map((r) => ({ lat: r.lat, lon: r.lon, categoryId: r.categoryId, count: r.count }));
	}
	const r = mapReport;
	const rows = await db
		.select({ lat: r.publicLat, lon: r.publicLon, categoryId: r.categoryId, count: count() })
		.from(r)
		.where(publicWhere(space, filter))
		.groupBy(r.publicLat, r.publicLon, r.categoryId);
	return rows.map((c) => ({ lat: c.lat, lon: c.lon, categoryId: c.categoryId, count: c.count }));
}

/** A report as the public list and downloads show it. */
export interface PublicReport {
	id: number;
	categoryId: number;
	description: string;
	language: string;
	district: string | null;
	lat: number | null;
	lon: number | null;
	status: ReportStatus;
	note: string | null;
	noteLanguage: string | null;
	createdAt: Date;
	firstAnsweredAt: Date | null;
	resolvedAt: Date | null;
}

const publicColumns = {
	id: mapReport.id,
	categoryId: mapReport.categoryId,
	description: mapReport.description,
	language: mapReport.language,
	district: mapReport.district,
	lat: mapReport.publicLat,
	lon: mapReport.publicLon,
	status: mapReport.status,
	note: mapReport.note,
	noteLanguage: mapReport.noteLanguage,
	createdAt: mapReport.createdAt,
	firstAnsweredAt: mapReport.firstAnsweredAt,
	resolvedAt: mapReport.resolvedAt
};

/** A page of the public list, newest first, with the number of matching reports. */
export async function publicReports(
	db: Reader,
	space: ReportSpace,
	filter: ReportFilter,
	/** The number of matching reports when the caller knows it already (the map's groups add up to it). */
	known?: number
): Promise<{ reports: PublicReport[]; total: number; page: number; pages: number }> {
	const where = publicWhere(space, filter);
	const page = filter.page ?? 1;
	const [reports, [total]] = await reads(
		db,
		() =>
			db
				.select(publicColumns)
				.from(mapReport)
				.where(where)
				.orderBy(desc(mapReport.createdAt), desc(mapReport.id))
				.limit(reportPageSize)
				.offset((page - 1) * reportPageSize),
		async () =>
			known === undefined ? db.select({ n: count() }).from(mapReport).where(where) : [{ n: known }]
	);
	const n = total?.n ?? 0;
	return { reports, total: n, page, pages: Math.max(1, Math.ceil(n / reportPageSize)) };
}

/** Every public report matching the filter, for the downloads (oldest first, in batches). */
export async function* allPublicReports(
	db: Reader,
	space: ReportSpace,
	filter: ReportFilter,
	batch = 5000
): AsyncGenerator<PublicReport[]> {
	let after = 0;
	for (;;) {
		const rows = await db
			.select(publicColumns)
			.from(mapReport)
			.where(and(publicWhere(space, filter), sql`${mapReport.id} > ${after}`))
			.orderBy(asc(mapReport.id))
			.limit(batch);
		if (!rows.length) return;
		yield rows;
		after = rows[rows.length - 1]!.id;
		if (rows.length < batch) return;
	}
}

/** How the space answers its reports: how many, how many answered, how fast. */
export interface ReportFigures {
	total: number;
	answered: number;
	resolved: number;
	/** Median whole hours from report to its first answer, among public reports; null before any. */
	medianHoursToAnswer: number | null;
}

export async function reportFigures(db: Reader, spaceId: number): Promise<ReportFigures> {
	const [[totals], hours] = await reads(
		db,
		() =>
			db
				.select({
					total: sql<number>`coalesce(sum(${mapReportCell.reports}), 0)::int`,
					answered: sql<number>`coalesce(sum(${mapReportCell.answered}), 0)::int`,
					resolved: sql<number>`coalesce(sum(${mapReportCell.resolved}), 0)::int`
				})
				.from(mapReportCell)
				.where(eq(mapReportCell.spaceId, spaceId)),
		() =>
			db
				.select({ hours: mapReportAnswerHours.hours, reports: mapReportAnswerHours.reports })
				.from(mapReportAnswerHours)
				.where(and(eq(mapReportAnswerHours.spaceId, spaceId), gt(mapReportAnswerHours.reports, 0)))
				.orderBy(asc(mapReportAnswerHours.hours))
	);
	return {
		total: totals?.total ?? 0,
		answered: totals?.answered ?? 0,
		resolved: totals?.resolved ?? 0,
		medianHoursToAnswer: medianOf(hours)
	};
}

/** The median of a histogram of whole hours (the middle report's, or halfway between the two middle ones). */
export function medianOf(hours: { hours: number; reports: number }[]): number | null {
	const n = hours.reduce((sum, h) => sum + h.reports, 0);
	if (!n) return null;
	const at = (k: number) => {
		let seen = 0;
		for (const h of hours) if ((seen += h.reports) > k) return h.hours;
		return hours.at(-1)!.hours;
	};
	return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

/** One report's page: what anyone sees, and what its reporter and the team see besides. */
export interface ReportDetail extends PublicReport {
	public: boolean;
	precision: ReportPrecision;
	mediaId: number | null;
	/** Only for the reporter and the team. */
	placeText: string | null;
	/** The exact point: only for the team. */
	exact: { lat: number; lon: number } | null;
	own: boolean;
	/** The photo (alt text in the report's language), where one was sent. */
	photo: ProposalPhoto | null;
	history: { status: ReportStatus; note: string | null; language: string | null; at: Date }[];
}

/**
 * A report of the space: public ones for anyone; one waiting for review (or refused before it was
 * public) only for its reporter and the team; 404 for everyone else.
 */
export async function reportDetail(
	db: Reader,
	space: ReportSpace,
	id: number,
	actor: Actor
): Promise<{ report: ReportDetail; team: boolean }> {
	const [[row], history, team] = await Promise.all([
		db
			.select({
				...publicColumns,
				public: mapReport.public,
				precision: mapReport.precision,
				mediaId: mapReport.mediaId,
				placeText: mapReport.placeText,
				exactLat: mapReport.lat,
				exactLon: mapReport.lon,
				authorId: mapReport.authorId,
				...photoColumns
			})
			.from(mapReport)
			.leftJoin(media, eq(media.id, mapReport.mediaId))
			.where(and(eq(mapReport.id, id), eq(mapReport.spaceId, space.id))),
		db
			.select({
				status: mapReportEvent.status,
				note: mapReportEvent.note,
				language: mapReportEvent.language,
				at: mapReportEvent.at
			})
			.from(mapReportEvent)
			.where(eq(mapReportEvent.reportId, id))
			.orderBy(asc(mapReportEvent.at), asc(mapReportEvent.id)),
		handlesReports(actor, space)
	]);
	if (!row) throw new NotFoundError('Report');
	const own = !!actor && row.authorId === actor.id;
	if (!row.public && !own && !team) throw new NotFoundError('Report');
	const {
		exactLat,
		exactLon,
		authorId: _author,
		placeText,
		photoKey,
		photoKind,
		photoVariants,
		photoWidth,
		photoHeight,
		photoAlt,
		...rest
	} = row;
	return {
		team,
		report: {
			...rest,
			photo: photoView(
				{ photoKey, photoKind, photoVariants, photoWidth, photoHeight, photoAlt },
				rest.language
			),
			placeText: own || team ? placeText : null,
			exact: team && exactLat !== null && exactLon !== null ? { lat: exactLat, lon: exactLon } : null,
			own,
			history
		}
	};
}

/** A report in the team's list: every report, public or not, with the exact point. */
export interface TeamReport extends PublicReport {
	public: boolean;
	placeText: string | null;
	exactLat: number | null;
	exactLon: number | null;
}

/** The team's work: reports not yet answered first (oldest first), then the rest, newest first. */
export async function teamReports(
	db: Reader,
	space: ReportSpace,
	filter: { status?: ReportStatus; page?: number }
): Promise<{ reports: TeamReport[]; total: number; page: number; pages: number; waiting: number }> {
	const r = mapReport;
	const where = and(eq(r.spaceId, space.id), filter.status ? eq(r.status, filter.status) : undefined);
	const page = filter.page ?? 1;
	const [reports, [total], [waiting]] = await reads(
		db,
		() =>
			db
				.select({
					...publicColumns,
					public: r.public,
					placeText: r.placeText,
					exactLat: r.lat,
					exactLon: r.lon
				})
				.from(r)
				.where(where)
				.orderBy(
					sql`case when ${r.status} = 'new' then 0 else 1 end`,
					sql`case when ${r.status} = 'new' then ${r.createdAt} end asc`,
					desc(r.createdAt),
					desc(r.id)
				)
				.limit(reportPageSize)
				.offset((page - 1) * reportPageSize),
		() => db.select({ n: count() }).from(r).where(where),
		() =>
			db
				.select({ n: count() })
				.from(r)
				.where(and(eq(r.spaceId, space.id), inArray(r.status, ['new'])))
	);
	const n = total?.n ?? 0;
	return {
		reports,
		total: n,
		page,
		pages: Math.max(1, Math.ceil(n / reportPageSize)),
		waiting: waiting?.n ?? 0
	};
}

/** Whether the signed-in person follows the report (null: signed out, nothing to offer). */
export async function followsReport(db: Reader, actor: Actor, reportId: number): Promise<boolean | null> {
	if (!actor) return null;
	const [row] = await db
		.select({ reportId: mapReportFollow.reportId })
		.from(mapReportFollow)
		.where(and(eq(mapReportFollow.reportId, reportId), eq(mapReportFollow.userId, actor.id)));
	return !!row;
}
