import { and, eq, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { subquery } from '../../kernel/sql.ts';
import { partnership } from '../../partnerships/schema.ts';
import { indicator, indicatorPeriod, result } from '../schema.ts';
import { annualReport, reportDeadline } from '../reports/schema.ts';
import { dueSoonDays, type Light } from '../reports/light.ts';

// The partnerships of a selection counted, with their reporting lights, in one statement that
// answers one row whatever their number. The lights are reports/light.ts's rule and the years each
// partnership answers for are reportingYears' (reports/queries.ts), both written again here in SQL
// so that 2,000 partnerships' 20,000 years never leave the database; partnerships.test.ts holds
// the two to the same answers on random programmes.

type Db = Database | Transaction;

export interface PartnershipCounts {
	inFilter: number;
	activeInYear: number;
	approvedReports: number;
	lights: Record<Light, number>;
}

const dayMs = 86_400_000;

export async function partnershipCounts(
	db: Db,
	year: number,
	inSelection: SQL[],
	today: Date
): Promise<PartnershipCounts> {
	const now = sql`${today.getTime()}::bigint`;
	// The partnership, whether the year's report is approved, and the first year it answers for: from
	// its first report or framework period (never before its start year), else its start year.
	const chosen = db.$with('dashboard_partnership').as(
		db
			.select({
				id: partnership.id,
				startYear: partnership.startYear,
				endYear: partnership.endYear,
				approved: subquery<boolean>(
					sql`select exists (select 1 from ${annualReport} where ${annualReport.partnershipId} = ${partnership.id}
						and ${annualReport.year} = ${year} and ${annualReport.status} = 'approved')`
				).as('approved'),
				// greatest and least pass over nulls: no report and no period leaves the start year.
				fromYear: sql<number | null>`greatest(least(
					${subquery(sql`select min(${annualReport.year}) from ${annualReport} where ${annualReport.partnershipId} = ${partnership.id}`)},
					${subquery(
						sql`select extract(year from min(${indicatorPeriod.end}))::int from ${result}
							join ${indicator} on ${indicator.resultId} = ${result.id}
							join ${indicatorPeriod} on ${indicatorPeriod.indicatorId} = ${indicator.id}
							where ${result.partnershipId} = ${partnership.id}`
					)}), ${partnership.startYear})`.as('from_year')
			})
			.from(partnership)
			.where(and(...inSelection))
	);
	// Each year due: its day's last millisecond, and whether the report was sent. The light, as
	// reportingLight: the two last years passed both unsent, one passed unsent, one unsent soon.
	const endMs = sql`((${reportDeadline.due} - date '1970-01-01')::bigint * ${dayMs} + ${dayMs - 1})`;
	const sent = sql`${annualReport.submittedAt} is not null`;
	const lastPassed = sql`(array_agg(${sent} order by ${reportDeadline.year} desc) filter (where ${endMs} < ${now}))`;
	const lit = db.$with('dashboard_light').as(
		db
			.select({
				id: chosen.id,
				light: sql<Light>`case
					when ${lastPassed}[1:2] = array[false, false] then 'inactive'
					when bool_or(${endMs} < ${now} and not ${sent}) then 'overdue'
					when bool_or(not ${sent} and ${endMs} >= ${now} and ${endMs} - ${now} <= ${dueSoonDays * dayMs}::bigint) then 'due'
					else 'on-time' end`.as('light')
			})
			.from(chosen)
			.innerJoin(
				reportDeadline,
				and(
					gte(reportDeadline.year, chosen.fromYear),
					or(isNull(chosen.endYear), lte(reportDeadline.year, chosen.endYear))
				)
			)
			.leftJoin(
				annualReport,
				and(eq(annualReport.partnershipId, chosen.id), eq(annualReport.year, reportDeadline.year))
			)
			.groupBy(chosen.id)
	);
	const count = (where: SQL) => sql<number>`count(*) filter (where ${where})`.mapWith(Number);
	// No year due (none yet, or none followed up): on time, as reportingLight([]).
	const light = sql`coalesce(${lit.light}, 'on-time')`;
	const [row] = await db
		.with(chosen, lit)
		.select({
			inFilter: sql<number>`count(*)`.mapWith(Number),
			activeInYear: count(
				sql`${chosen.startYear} <= ${year} and (${chosen.endYear} is null or ${chosen.endYear} >= ${year})`
			),
			approvedReports: count(sql`${chosen.approved}`),
			onTime: count(sql`${light} = 'on-time'`),
			due: count(sql`${light} = 'due'`),
			overdue: count(sql`${light} = 'overdue'`),
			inactive: count(sql`${light} = 'inactive'`)
		})
		.from(chosen)
		.leftJoin(lit, eq(lit.id, chosen.id));
	const r = row!;
	return {
		inFilter: r.inFilter,
		activeInYear: r.activeInYear,
		approvedReports: r.approvedReports,
		lights: { 'on-time': r.onTime, due: r.due, overdue: r.overdue, inactive: r.inactive }
	};
}
