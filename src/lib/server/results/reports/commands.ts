import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError, type ErrorCode, type FieldProblem } from '../../kernel/errors.ts';
import { authorizeOn, can, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { figureDimension, indicatorFigure, indicatorPeriod } from '../schema.ts';
import type { Indicator, Period } from '../queries.ts';
import { resultsPolicy } from '../policy.ts';
import { annualReport, reportApproval, reportEvent, reportPrinciple, type ApprovalSide } from './schema.ts';
import { editable, takeStep, type Step } from './workflow.ts';
import { field, readReportForm, stepShape, type ReportInput } from './input.ts';
import { partnershipBySlug, reportWithFigures, sidesOf, type Report } from './queries.ts';

// The yearly report's changes: start it, save the draft (texts, scores and the year's actual
// values, which are the framework's own figures), and take a step (submit, approve for a side,
// return with a comment, reopen with a reason). Each is one command: audited, in one transaction.

type Raw = FormData | Record<string, unknown>;

const problem = (field: string, code: ErrorCode<'results'>) =>
	new ValidationError<'results'>([{ field, code }], 'results');

/** Starts a partnership's report for a year (a second start finds the first). */
export async function startReport(db: Database, actor: Actor, slug: string, year: number): Promise<number> {
	const p = await partnershipBySlug(db, slug);
	return runCommand(db, actor, {
		rule: resultsPolicy.workOnReport,
		parse: () => year,
		check: async (tx, _year, who) => {
			await authorizeOn(who, resultsPolicy.writeReport, { db: tx, id: p.id });
		},
		work: async (tx, y) => {
			const [made] = await tx
				.insert(annualReport)
				.values({ partnershipId: p.id, year: y })
				.onConflictDoNothing()
				.returning({ id: annualReport.id });
			if (!made) {
				const [found] = await tx
					.select({ id: annualReport.id })
					.from(annualReport)
					.where(and(eq(annualReport.partnershipId, p.id), eq(annualReport.year, y)));
				return { result: found!.id, audit: [], public: false };
			}
			await tx.insert(reportEvent).values({ reportId: made.id, action: 'created', userId: null });
			return {
				result: made.id,
				audit: { action: 'results.report-started', subject: `partnership:${p.id}:${y}` },
				public: false
			};
		}
	});
}

/** Loads what a command on a report needs, inside its transaction. */
async function reportAt(tx: Transaction, slug: string, year: number) {
	const p = await partnershipBySlug(tx, slug);
	const loaded = await reportWithFigures(tx, p.id, year);
	if (!loaded.report) throw problem('form', 'reportNotStarted');
	return { partnership: p, ...loaded, report: loaded.report };
}

/** Saves the draft: texts, scores, and the year's actual values with their comments. */
export async function saveReport(
	db: Database,
	actor: Actor,
	slug: string,
	year: number,
	form: Raw
): Promise<void> {
	// The form's fields follow the framework, so it is read once the report is loaded.
	const loaded = await reportWithFigures(db, (await partnershipBySlug(db, slug)).id, year);
	const periods = loaded.periods.map((x) => ({ periodId: x.period.id, measure: x.indicator.measure }));
	await runCommand(db, actor, {
		rule: resultsPolicy.workOnReport,
		parse: () => readReportForm(form, loaded.principles, periods),
		check: async (tx, _input, who) => {
			// Who may, before whether there is a report: a stranger learns nothing of it.
			await authorizeOn(who, resultsPolicy.writeReport, {
				db: tx,
				id: (await partnershipBySlug(tx, slug)).id
			});
			const at = await reportAt(tx, slug, year);
			if (!editable(at.report.status)) throw problem('form', 'reportNotEditable');
		},
		work: async (tx, input) => {
			const at = await reportAt(tx, slug, year);
			await writeReport(tx, at.report, input);
			return {
				result: undefined,
				audit: { action: 'results.report-saved', subject: `report:${at.report.id}`, after: { year } },
				public: false
			};
		}
	});
}

async function writeReport(tx: Transaction, report: Report, input: ReportInput) {
	await tx
		.update(annualReport)
		.set({ lessons: input.lessons, plans: input.plans, updatedAt: sql`now()` })
		.where(eq(annualReport.id, report.id));
	await tx.delete(reportPrinciple).where(eq(reportPrinciple.reportId, report.id));
	if (input.principles.length) {
		await tx.insert(reportPrinciple).values(input.principles.map((p) => ({ reportId: report.id, ...p })));
	}
	// The year's totals (an actual without a breakdown) are replaced; breakdowns stay as they are.
	for (const a of input.actuals) {
		await tx
			.delete(indicatorFigure)
			.where(
				and(
					eq(indicatorFigure.periodId, a.periodId),
					eq(indicatorFigure.kind, 'actual'),
					notExists(tx.select().from(figureDimension).where(eq(figureDimension.figureId, indicatorFigure.id)))
				)
			);
	}
	const kept = input.actuals.filter((a) => a.value !== null || Object.keys(a.comment).length > 0);
	if (kept.length) {
		const indicatorOf = await periodIndicators(
			tx,
			kept.map((a) => a.periodId)
		);
		await tx.insert(indicatorFigure).values(
			kept.map((a) => ({
				indicatorId: indicatorOf.get(a.periodId)!,
				kind: 'actual' as const,
				periodId: a.periodId,
				value: a.value,
				comment: a.comment
			}))
		);
	}
}

async function periodIndicators(tx: Transaction, periodIds: number[]) {
	const rows = await tx
		.select({ id: indicatorPeriod.id, indicatorId: indicatorPeriod.indicatorId })
		.from(indicatorPeriod)
		.where(inArray(indicatorPeriod.id, periodIds));
	return new Map(rows.map((r) => [r.id, r.indicatorId]));
}

/** What a submission still lacks, per field: English texts, every score, every value or a why. */
export function missingForSubmission(
	report: Report,
	principles: readonly string[],
	periods: { period: Period; indicator: Indicator }[]
): FieldProblem<'results'>[] {
	const missing: FieldProblem<'results'>[] = [];
	const need = (ok: boolean, name: string) => {
		if (!ok) missing.push({ field: name, code: 'requiredForSubmission' });
	};
	need(Boolean(report.lessons.en), field.lessons('en'));
	need(Boolean(report.plans.en), field.plans('en'));
	for (const p of principles) {
		const written = report.principles.find((x) => x.principle === p);
		need(Boolean(written?.text.en), field.principleText(p, 'en'));
		need(written?.score != null, field.score(p));
	}
	for (const { period, indicator } of periods) {
		const total = period.actuals.find((a) => a.dimensions.length === 0);
		// A value, or a comment saying why there is none (a qualitative indicator is its comment).
		const said = Boolean(total?.comment.en) || (indicator.measure !== 'qualitative' && Boolean(total?.value));
		need(
			said,
			indicator.measure === 'qualitative' ? field.actualComment(period.id, 'en') : field.actual(period.id)
		);
	}
	return missing;
}

export type StepName = 'submit' | 'approve' | 'return' | 'reopen';

/**
 * Takes a step on the report. Approving is for a side: a coordinator for the side of their own
 * organization, the programme's editors for the programme (and only after both partners).
 */
export async function reportStep(
	db: Database,
	actor: Actor,
	slug: string,
	year: number,
	name: StepName,
	form: Raw = {}
): Promise<void> {
	// Role first (anyone signed in may be a coordinator); the partnership is asked in the work.
	const rule =
		name === 'submit'
			? resultsPolicy.writeReport
			: name === 'approve'
				? resultsPolicy.approveReport
				: name === 'return'
					? resultsPolicy.returnReport
					: resultsPolicy.reopenReport;
	await runCommand(db, actor, {
		rule:
			name === 'reopen'
				? rule
				: name === 'approve'
					? resultsPolicy.approveReport
					: resultsPolicy.workOnReport,
		parse: () => (name === 'return' || name === 'reopen' ? readForm(form, stepShape, 'results').comment : ''),
		work: async (tx, comment, who) => {
			// Who may, before whether there is a report: a stranger learns nothing of it.
			const p = await partnershipBySlug(tx, slug);
			if (name === 'approve') {
				const approves =
					can(who, resultsPolicy.approveForProgramme) || (await sidesOf(tx, who.id, p.id)).length > 0;
				if (!approves) throw new ForbiddenError(false);
			} else if (name !== 'reopen') await authorizeOn(who, rule, { db: tx, id: p.id });
			const at = await reportAt(tx, slug, year);
			// Locks the report's row: two steps at once take turns, each seeing the other's result.
			await tx.execute(
				sql`select 1 from ${annualReport} where ${annualReport.id} = ${at.report.id} for update`
			);
			const fresh = (await reportWithFigures(tx, at.partnership.id, year)).report!;
			let side: ApprovalSide | null = null;
			if (name === 'approve') side = await sideFor(tx, who, at.partnership.id, fresh);
			if (name === 'submit') {
				const missing = missingForSubmission(fresh, at.principles, at.periods);
				if (missing.length) throw new ValidationError(missing, 'results');
			}
			const step: Step =
				name === 'approve'
					? { action: 'approve', side: side! }
					: name === 'return'
						? { action: 'return', comment }
						: name === 'reopen'
							? { action: 'reopen', reason: comment }
							: { action: 'submit' };
			const next = takeStep({ status: fresh.status, approvals: fresh.approvals.map((a) => a.side) }, step);
			if ('refused' in next) throw problem('form', next.refused);
			await tx
				.update(annualReport)
				.set({
					status: next.status,
					updatedAt: sql`now()`,
					...(name === 'submit' ? { submittedAt: sql`coalesce(${annualReport.submittedAt}, now())` } : {}),
					...(next.status === 'approved' ? { approvedAt: sql`now()` } : {})
				})
				.where(eq(annualReport.id, fresh.id));
			if (next.approvals.length === 0)
				await tx.delete(reportApproval).where(eq(reportApproval.reportId, fresh.id));
			if (side) await tx.insert(reportApproval).values({ reportId: fresh.id, side, userId: who.id });
			const action =
				name === 'submit'
					? 'submitted'
					: name === 'approve'
						? 'approved'
						: name === 'return'
							? 'returned'
							: 'reopened';
			await tx
				.insert(reportEvent)
				.values({ reportId: fresh.id, action, side, userId: who.id, comment: comment || null });
			return {
				result: undefined,
				audit: {
					action: `results.report-${action}`,
					subject: `report:${fresh.id}`,
					before: { status: fresh.status },
					after: { status: next.status, side, comment: comment || undefined }
				},
				// An approved year is what the public pages and the dashboard show.
				public: fresh.status === 'approved' || next.status === 'approved'
			};
		}
	});
}

/** The side this person approves for now: the programme for editors once both partners have. */
async function sideFor(tx: Transaction, who: NonNullable<Actor>, partnershipId: number, report: Report) {
	const done = new Set(report.approvals.map((a) => a.side));
	const sides: ApprovalSide[] = await sidesOf(tx, who.id, partnershipId);
	if (can(who, resultsPolicy.approveForProgramme)) sides.push('programme');
	const open = sides.find((s) => !done.has(s) && s !== 'programme') ?? sides.find((s) => !done.has(s));
	if (!open) {
		if (sides.length === 0) throw new ForbiddenError(false);
		throw problem('form', 'reportSideApproved');
	}
	return open;
}
