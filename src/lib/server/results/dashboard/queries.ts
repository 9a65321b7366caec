import { and, asc, eq, exists, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { reads, subquery } from '../../kernel/sql.ts';
import { organization } from '../../organizations/schema.ts';
import { partnership, partnershipGoal, partnershipMember } from '../../partnerships/schema.ts';
import { sdgGoal, theme } from '../../taxonomy/schema.ts';
import { indicator, indicatorPeriod, result } from '../schema.ts';
import { annualReport, reportDeadline, reportPrinciple } from '../reports/schema.ts';
import type { Light } from '../reports/light.ts';
import { figureNumber, indicatorProgress } from '../progress.ts';
import { partnershipCounts, type PartnershipCounts } from './partnerships.ts';

// The programme's figures for /results, for a year and a selection (principle, country, goal).
// Counting is done by the database, whatever the number of partnerships: the partnerships and
// their reporting lights in one statement (partnerships.ts), the scores in one; five small
// statements for the options and one for the default year. The one exception is an indicator's
// progress: it is worked out by progress.ts's rule (one definition of progress for the partnership
// page and this one) from the indicators' figures, which the database has already narrowed to
// their baseline, final target and latest actual, and sends once for all the indicators alike.
//
// Every filter has its index: the year and status (annual_report_year_status_idx), the principle
// (report_principle_principle_idx, result_principle_idx), the country
// (organization_country_idx, partnership_member_org_idx), the goal (partnership_goal_goal_idx), the
// years of the periods (indicator_period_end_idx).

type Db = Database | Transaction;

export interface DashboardFilter {
	year: number;
	principle?: string;
	country?: string;
	goal?: number;
}

export const lights: Light[] = ['on-time', 'due', 'overdue', 'inactive'];
export const scores = [1, 2, 3, 4, 5] as const;
/** Progress in quarters of the way, the target reached, and those that cannot be worked out. */
export const buckets = ['q1', 'q2', 'q3', 'q4', 'reached', 'unknown'] as const;
export type Bucket = (typeof buckets)[number];

export interface DashboardFigures {
	filter: DashboardFilter;
	partnerships: { inFilter: number; activeInYear: number; approvedReports: number };
	/** Per principle (in the principles' order): how many assessments gave each score 1–5. */
	scores: { principle: string; counts: number[]; total: number; mean: number | null }[];
	progress: {
		buckets: Record<Bucket, number>;
		/** Per principle: the mean share (0–1) of the indicators whose progress can be worked out. */
		mean: { principle: string; mean: number | null; counted: number }[];
	};
	lights: Record<Light, number>;
}

export interface DashboardOptions {
	years: number[];
	principles: string[];
	/** Countries of the partner organizations (ISO codes). */
	countries: string[];
	goals: number[];
}

/** What the filter links offer: the years with a due date or a report, the principles, countries and goals in use. */
export async function dashboardOptions(db: Db): Promise<DashboardOptions> {
	// The years with a report, each looked up on the year's index (the span from the lowest to the
	// highest, one probe a year) rather than read from every report.
	const reportYear = sql<number>`y`.mapWith(Number);
	const reportYears = db
		.select({ year: reportYear })
		.from(
			sql`generate_series((select min(${annualReport.year}) from ${annualReport})::int, (select max(${annualReport.year}) from ${annualReport})::int) as y`
		)
		.where(sql`(select true from ${annualReport} where ${annualReport.year} = y limit 1)`);
	const [years, span, principles, countries, goals] = await reads(
		db,
		() => reportYears.union(db.select({ year: reportDeadline.year }).from(reportDeadline)),
		// The years the frameworks' periods span (figures before the first report is in).
		() =>
			db
				.select({
					first: sql<number | null>`extract(year from min(${indicatorPeriod.end}))`.mapWith(Number),
					last: sql<number | null>`extract(year from max(${indicatorPeriod.end}))`.mapWith(Number)
				})
				.from(indicatorPeriod),
		() =>
			db
				.select({ key: theme.key })
				.from(theme)
				.where(eq(theme.kind, 'principle'))
				.orderBy(asc(theme.position), asc(theme.key)),
		() =>
			db
				.selectDistinct({ country: organization.country })
				.from(partnershipMember)
				.innerJoin(organization, eq(organization.id, partnershipMember.organizationId))
				.where(eq(partnershipMember.role, 'international'))
				.orderBy(asc(organization.country)),
		// The goals in use: one probe per goal on its index rather than every partnership's goals.
		() =>
			db
				.select({ goal: sdgGoal.number })
				.from(sdgGoal)
				.where(
					exists(
						db
							.select({ one: sql`1` })
							.from(partnershipGoal)
							.where(eq(partnershipGoal.goal, sdgGoal.number))
					)
				)
				.orderBy(asc(sdgGoal.number))
	);
	return {
		years: [...new Set([...years.map((y) => y.year), ...yearsBetween(span[0]?.first, span[0]?.last)])].sort(
			(a, b) => b - a
		),
		principles: principles.map((p) => p.key),
		countries: countries.map((c) => c.country),
		goals: goals.map((g) => g.goal)
	};
}

function yearsBetween(first: number | null | undefined, last: number | null | undefined): number[] {
	if (!first || !last) return [];
	return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The partnerships of the selection (a member in the country, tagged with the goal). */
function chosenPartnerships(db: Db, f: DashboardFilter) {
	const where: SQL[] = [];
	if (f.country)
		where.push(
			exists(
				db
					.select({ one: sql`1` })
					.from(partnershipMember)
					.innerJoin(organization, eq(organization.id, partnershipMember.organizationId))
					.where(
						and(eq(partnershipMember.partnershipId, partnership.id), eq(organization.country, f.country))
					)
			)
		);
	if (f.goal)
		where.push(
			exists(
				db
					.select({ one: sql`1` })
					.from(partnershipGoal)
					.where(and(eq(partnershipGoal.partnershipId, partnership.id), eq(partnershipGoal.goal, f.goal)))
			)
		);
	return where;
}

export async function dashboardFigures(db: Db, f: DashboardFilter, principles: string[], today = new Date()) {
	const inSelection = chosenPartnerships(db, f);
	const chosen = db
		.select({ id: partnership.id })
		.from(partnership)
		.where(and(...inSelection));
	// Inside a transaction (publishing an analysis) one after the other: see kernel/sql.ts.
	const [counts, scoreRows, indicatorRows] = await reads(
		db,
		() => partnershipCounts(db, f.year, inSelection, today),
		() =>
			db
				.select({
					principle: reportPrinciple.principle,
					score: reportPrinciple.score,
					count: sql<number>`count(*)`.mapWith(Number)
				})
				.from(reportPrinciple)
				.innerJoin(annualReport, eq(annualReport.id, reportPrinciple.reportId))
				.where(
					and(
						eq(annualReport.year, f.year),
						eq(annualReport.status, 'approved'),
						isNotNull(reportPrinciple.score),
						f.principle ? eq(reportPrinciple.principle, f.principle) : undefined,
						inSelection.length ? inArray(annualReport.partnershipId, chosen) : undefined
					)
				)
				.groupBy(reportPrinciple.principle, reportPrinciple.score),
		() => indicatorFigures(db, f, inSelection.length ? inArray(result.partnershipId, chosen) : undefined)
	);
	return shape(f, principles, counts, scoreRows, indicatorRows);
}

/**
 * The indicators with a period in the year, by their figures: the baseline, final target and
 * latest actual up to the year's end (totals, not breakdowns), and how many indicators have just
 * these (with the principle, measure and direction). Indicators alike are sent once with their
 * number: at 2,000 partnerships a year has 8,000 indicators, and a row for each cost the server
 * more than the statement cost the database. The totals are the ones the database keeps beside the
 * indicator and each period (migration 0028), so each is one step along the periods' index. A
 * numeric measure's figures are numbers (input.ts), so the latest actual with a value, and the
 * final target, are the ones progress.ts can use; a qualitative one's progress is never worked out.
 */
function indicatorFigures(db: Db, f: DashboardFilter, inSelection: SQL | undefined) {
	const yearStart = `${f.year}-01-01`;
	const yearEnd = `${f.year}-12-31`;
	const figures = db
		.select({
			principle: result.principle,
			measure: indicator.measure,
			ascending: indicator.ascending,
			baseline: sql<string | null>`${indicator.baselineTotal}`.as('baseline_value'),
			// The final period's target, and the latest actual up to the year's end: each found by
			// walking the indicator's periods backwards on their index.
			target: subquery<string | null>(
				sql`select ${indicatorPeriod.targetTotal} from ${indicatorPeriod}
					where ${indicatorPeriod.indicatorId} = ${indicator.id} and ${indicatorPeriod.targetTotal} is not null
					order by ${indicatorPeriod.start} desc, ${indicatorPeriod.end} desc limit 1`
			).as('target'),
			actual: subquery<string | null>(
				sql`select ${indicatorPeriod.actualTotal} from ${indicatorPeriod}
					where ${indicatorPeriod.indicatorId} = ${indicator.id} and ${indicatorPeriod.start} <= ${yearEnd}
						and ${indicatorPeriod.end} <= ${yearEnd} and ${indicatorPeriod.actualTotal} is not null
					order by ${indicatorPeriod.start} desc, ${indicatorPeriod.end} desc limit 1`
			).as('actual')
		})
		.from(indicator)
		.innerJoin(result, eq(result.id, indicator.resultId))
		.where(
			and(
				f.principle ? eq(result.principle, f.principle) : undefined,
				inSelection,
				exists(
					db
						.select({ one: sql`1` })
						.from(indicatorPeriod)
						.where(
							and(
								eq(indicatorPeriod.indicatorId, indicator.id),
								sql`${indicatorPeriod.end} between ${yearStart} and ${yearEnd}`
							)
						)
				)
			)
		)
		.as('dashboard_indicator');
	return db
		.select({
			principle: figures.principle,
			measure: figures.measure,
			ascending: figures.ascending,
			baseline: figures.baseline,
			target: figures.target,
			actual: figures.actual,
			indicators: sql<number>`count(*)`.mapWith(Number)
		})
		.from(figures)
		.groupBy(
			figures.principle,
			figures.measure,
			figures.ascending,
			figures.baseline,
			figures.target,
			figures.actual
		);
}

function shape(
	f: DashboardFilter,
	allPrinciples: string[],
	counts: PartnershipCounts,
	scoreRows: { principle: string; score: number | null; count: number }[],
	indicatorRows: Awaited<ReturnType<typeof indicatorFigures>>
): DashboardFigures {
	const principles = f.principle ? allPrinciples.filter((p) => p === f.principle) : allPrinciples;
	const scores = principles.map((principle) => {
		const counts = [1, 2, 3, 4, 5].map(
			(s) => scoreRows.find((r) => r.principle === principle && r.score === s)?.count ?? 0
		);
		const total = counts.reduce((a, b) => a + b, 0);
		const sum = counts.reduce((a, c, i) => a + c * (i + 1), 0);
		return { principle, counts, total, mean: total ? sum / total : null };
	});

	const bucketCounts = Object.fromEntries(buckets.map((b) => [b, 0])) as Record<Bucket, number>;
	const sums = new Map<string, { sum: number; counted: number }>();
	for (const row of indicatorRows) {
		const progress = indicatorProgress({
			measure: row.measure,
			ascending: row.ascending,
			baseline: figureNumber(row.baseline),
			target: figureNumber(row.target),
			actual: figureNumber(row.actual)
		});
		bucketCounts[bucketOf(progress)] += row.indicators;
		if (progress === null || row.principle === null) continue;
		const s = sums.get(row.principle) ?? { sum: 0, counted: 0 };
		s.sum += progress * row.indicators;
		s.counted += row.indicators;
		sums.set(row.principle, s);
	}

	return {
		filter: f,
		partnerships: {
			inFilter: counts.inFilter,
			activeInYear: counts.activeInYear,
			approvedReports: counts.approvedReports
		},
		scores,
		progress: {
			buckets: bucketCounts,
			mean: principles.map((principle) => {
				const s = sums.get(principle);
				return { principle, mean: s ? s.sum / s.counted : null, counted: s?.counted ?? 0 };
			})
		},
		lights: counts.lights
	};
}

/** A share's bucket: [0, ¼), [¼, ½), [½, ¾), [¾, 1), reached (1), or unknown. */
export function bucketOf(progress: number | null): Bucket {
	if (progress === null) return 'unknown';
	if (progress >= 1) return 'reached';
	return buckets[Math.min(3, Math.floor(progress * 4))]!;
}

/** The year shown when none is asked for: the latest with an approved report, else the latest offered. */
export async function defaultYear(db: Db, years: number[], today = new Date()): Promise<number> {
	const [row] = await db
		.select({ year: sql<number | null>`max(${annualReport.year})` })
		.from(annualReport)
		.where(eq(annualReport.status, 'approved'));
	return row?.year ?? years[0] ?? today.getUTCFullYear() - 1;
}
