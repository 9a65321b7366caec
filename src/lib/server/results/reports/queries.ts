import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { partnership, partnershipAccess, partnershipMember } from '../../partnerships/schema.ts';
import { organizationMember } from '../../organizations/schema.ts';
import { theme } from '../../taxonomy/schema.ts';
import { user } from '../../accounts/schema.ts';
import { frameworkOf, type Framework, type Indicator, type Period, type Result } from '../queries.ts';
import { indicator, indicatorPeriod, result } from '../schema.ts';
import {
	annualReport,
	reportApproval,
	reportDeadline,
	reportEvent,
	reportPrinciple,
	type ApprovalSide,
	type ReportAction,
	type ReportStatus
} from './schema.ts';
import type { YearDue } from './light.ts';
import { reads } from '../../kernel/sql.ts';

type Db = Database | Transaction;

/** The principles a report speaks to: the four fixed themes (a topic merge never touches them). */
export async function principleKeys(db: Db): Promise<string[]> {
	const rows = await db
		.select({ key: theme.key })
		.from(theme)
		.where(eq(theme.kind, 'principle'))
		.orderBy(asc(theme.position), asc(theme.key));
	return rows.map((r) => r.key);
}

export interface PartnershipRef {
	id: number;
	slug: string;
}

export async function partnershipBySlug(db: Db, slug: string): Promise<PartnershipRef> {
	const [row] = await db
		.select({ id: partnership.id, slug: partnership.slug })
		.from(partnership)
		.where(eq(partnership.slug, slug));
	if (!row) throw new NotFoundError('partnership');
	return row;
}

/**
 * The sides a person may approve for: a coordinator of the partnership who works for one of its
 * organizations approves for that organization's side.
 */
export async function sidesOf(db: Db, userId: string, partnershipId: number): Promise<ApprovalSide[]> {
	const rows = await db
		.selectDistinct({ side: partnershipMember.role })
		.from(partnershipAccess)
		.innerJoin(organizationMember, eq(organizationMember.userId, partnershipAccess.userId))
		.innerJoin(
			partnershipMember,
			and(
				eq(partnershipMember.organizationId, organizationMember.organizationId),
				eq(partnershipMember.partnershipId, partnershipAccess.partnershipId)
			)
		)
		.where(
			and(
				eq(partnershipAccess.partnershipId, partnershipId),
				eq(partnershipAccess.userId, userId),
				eq(partnershipAccess.role, 'coordinator')
			)
		);
	return rows.map((r) => r.side).filter((s): s is ApprovalSide => s === 'swedish' || s === 'international');
}

/** The periods of a year: those ending in it (yearly periods run January to December). */
export function periodsOfYear(framework: Framework, year: number) {
	const out: { result: Result; indicator: Indicator; period: Period }[] = [];
	const walk = (results: Result[]) => {
		for (const r of results) {
			for (const i of r.indicators) {
				for (const p of i.periods)
					if (Number(p.end.slice(0, 4)) === year) out.push({ result: r, indicator: i, period: p });
			}
			walk(r.children);
		}
	};
	walk(framework.results);
	return out;
}

export interface ReportEvent {
	action: ReportAction;
	side: ApprovalSide | null;
	by: string | null;
	comment: string | null;
	at: Date;
}

export interface Report {
	id: number;
	partnershipId: number;
	year: number;
	status: ReportStatus;
	lessons: LocalizedText;
	plans: LocalizedText;
	submittedAt: Date | null;
	approvedAt: Date | null;
	updatedAt: Date;
	principles: { principle: string; text: LocalizedText; score: number | null; reasoning: LocalizedText }[];
	approvals: { side: ApprovalSide; by: string | null; at: Date }[];
	history: ReportEvent[];
	due: string | null;
}

/** A partnership's report for a year, or null when none is started. */
export async function reportFor(db: Db, partnershipId: number, year: number): Promise<Report | null> {
	const [row] = await db
		.select()
		.from(annualReport)
		.where(and(eq(annualReport.partnershipId, partnershipId), eq(annualReport.year, year)));
	if (!row) return null;
	const [principles, approvals, history, deadline] = await reads(
		db,
		() => db.select().from(reportPrinciple).where(eq(reportPrinciple.reportId, row.id)),
		() =>
			db
				.select({ side: reportApproval.side, by: user.name, at: reportApproval.at })
				.from(reportApproval)
				.leftJoin(user, eq(user.id, reportApproval.userId))
				.where(eq(reportApproval.reportId, row.id))
				.orderBy(asc(reportApproval.at)),
		() =>
			db
				.select({
					action: reportEvent.action,
					side: reportEvent.side,
					by: user.name,
					comment: reportEvent.comment,
					at: reportEvent.at
				})
				.from(reportEvent)
				.leftJoin(user, eq(user.id, reportEvent.userId))
				.where(eq(reportEvent.reportId, row.id))
				.orderBy(asc(reportEvent.at), asc(reportEvent.id)),
		() => db.select({ due: reportDeadline.due }).from(reportDeadline).where(eq(reportDeadline.year, year))
	);
	return {
		id: row.id,
		partnershipId: row.partnershipId,
		year: row.year,
		status: row.status,
		lessons: row.lessons,
		plans: row.plans,
		submittedAt: row.submittedAt,
		approvedAt: row.approvedAt,
		updatedAt: row.updatedAt,
		principles: principles.map((p) => ({
			principle: p.principle,
			text: p.text,
			score: p.score,
			reasoning: p.reasoning
		})),
		approvals,
		history,
		due: deadline[0]?.due ?? null
	};
}

/** The report and everything its form shows: the framework's periods of that year. */
export async function reportWithFigures(db: Db, partnershipId: number, year: number) {
	const [report, framework, principles] = await reads(
		db,
		() => reportFor(db, partnershipId, year),
		() => frameworkOf(db, partnershipId),
		() => principleKeys(db)
	);
	return { report, periods: periodsOfYear(framework, year), principles };
}

/** Whether the figures of a period may change: not while the year's report is sent or approved. */
export async function lockedYears(db: Db, partnershipId: number): Promise<number[]> {
	const rows = await db
		.select({ year: annualReport.year })
		.from(annualReport)
		.where(
			and(
				eq(annualReport.partnershipId, partnershipId),
				inArray(annualReport.status, ['submitted', 'approved'])
			)
		);
	return rows.map((r) => r.year);
}

/**
 * What the reporting lights need for many partnerships, in four queries: each one's years that have
 * a due date, and when each year's report was first sent. A partnership answers for the years from
 * when it began following up on the platform (its first report or framework period; its start year
 * if it has neither) to its end. The dashboard counts the same years in SQL (dashboard/partnerships.ts).
 */
export async function reportingYears(db: Db, partnershipIds: number[]): Promise<Map<number, YearDue[]>> {
	const out = new Map<number, YearDue[]>(partnershipIds.map((id) => [id, []]));
	if (partnershipIds.length === 0) return out;
	// In a transaction one after the other (kernel/sql.ts): the dashboard's tests call it so.
	const [partnerships, deadlines, reports, firstPeriods] = await reads(
		db,
		() =>
			db
				.select({ id: partnership.id, startYear: partnership.startYear, endYear: partnership.endYear })
				.from(partnership)
				.where(inArray(partnership.id, partnershipIds)),
		() => db.select().from(reportDeadline).orderBy(asc(reportDeadline.year)),
		() =>
			db
				.select({
					partnershipId: annualReport.partnershipId,
					year: annualReport.year,
					submittedAt: annualReport.submittedAt
				})
				.from(annualReport)
				.where(inArray(annualReport.partnershipId, partnershipIds)),
		() =>
			db
				.select({
					partnershipId: result.partnershipId,
					year: sql<number>`min(extract(year from ${indicatorPeriod.end}))::int`
				})
				.from(indicatorPeriod)
				.innerJoin(indicator, eq(indicator.id, indicatorPeriod.indicatorId))
				.innerJoin(result, eq(result.id, indicator.resultId))
				.where(inArray(result.partnershipId, partnershipIds))
				.groupBy(result.partnershipId)
	);
	const sent = new Map(reports.map((r) => [`${r.partnershipId}:${r.year}`, r.submittedAt]));
	const firstReport = new Map<number, number>();
	for (const r of reports)
		firstReport.set(r.partnershipId, Math.min(r.year, firstReport.get(r.partnershipId) ?? r.year));
	const firstPeriod = new Map(firstPeriods.map((f) => [f.partnershipId, Number(f.year)]));
	for (const p of partnerships) {
		const followed = [firstReport.get(p.id), firstPeriod.get(p.id)].filter(
			(y): y is number => y !== undefined
		);
		const from = followed.length ? Math.max(Math.min(...followed), p.startYear ?? 0) : p.startYear;
		if (from === null) continue;
		out.set(
			p.id,
			deadlines
				.filter((d) => d.year >= from && (p.endYear === null || d.year <= p.endYear))
				.map((d) => ({
					year: d.year,
					due: d.due,
					submittedAt: sent.get(`${p.id}:${d.year}`)?.toISOString() ?? null
				}))
		);
	}
	return out;
}
