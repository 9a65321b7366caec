import { inArray } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { readDataFile } from '../../kernel/data-files.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { runSystemChange } from '../../kernel/write.ts';
import { partnership } from '../../partnerships/schema.ts';
import {
	annualReport,
	reportApproval,
	reportEvent,
	reportPrinciple,
	type ApprovalSide,
	type ReportAction
} from './schema.ts';
import { takeStep, type ReportState, type Step } from './workflow.ts';

// The shape of data/demo/reports.json: each demo partnership's yearly reports, written as they
// read. A report's status, approvals and dates are not written down: they follow from its history,
// replayed through the workflow's own rule, so the file cannot hold a state the app could not reach.
// The actual values are the framework's own figures (results.json), not repeated here.

interface EventFile {
	action: ReportAction;
	side?: ApprovalSide;
	/** The staff's comment on a return, or the reason for a reopening. */
	comment?: string;
	at: string;
}

interface ReportFile {
	partnership: string;
	year: number;
	lessons: LocalizedText;
	plans: LocalizedText;
	principles: Record<string, { text: LocalizedText; score: number; reasoning: LocalizedText }>;
	/** Starts with 'created'; every later event is a step of the workflow. */
	history: EventFile[];
}

interface ReportsFile {
	reports: ReportFile[];
}

const stepOf: Record<Exclude<ReportAction, 'created'>, (e: EventFile) => Step> = {
	submitted: () => ({ action: 'submit' }),
	approved: (e) => ({ action: 'approve', side: e.side! }),
	returned: (e) => ({ action: 'return', comment: e.comment ?? '' }),
	reopened: (e) => ({ action: 'reopen', reason: e.comment ?? '' })
};

/** The report as its history leaves it; a step the workflow refuses is a mistake in the file. */
function replay(report: ReportFile) {
	const wrong = (why: string) =>
		new Error(`data/demo/reports.json: ${report.partnership} ${report.year}: ${why}`);
	const [created, ...steps] = report.history;
	if (created?.action !== 'created') throw wrong('the history must start with "created"');
	let state: ReportState = { status: 'draft', approvals: [] };
	let submittedAt: Date | null = null;
	const approvedAt = new Map<ApprovalSide, Date>();
	for (const e of steps) {
		if (e.action === 'created' || (e.action === 'approved' && !e.side)) throw wrong(`a bad ${e.action} step`);
		const next = takeStep(state, stepOf[e.action](e));
		if ('refused' in next) throw wrong(`${e.action} refused (${next.refused})`);
		const at = new Date(e.at);
		if (e.action === 'submitted') submittedAt ??= at;
		if (next.approvals.length === 0) approvedAt.clear();
		if (e.action === 'approved') approvedAt.set(e.side!, at);
		state = next;
	}
	return {
		status: state.status,
		submittedAt,
		approvedAt: state.status === 'approved' ? approvedAt.get('programme')! : null,
		approvals: state.approvals.map((side) => ({ side, at: approvedAt.get(side)! })),
		createdAt: new Date(created.at),
		updatedAt: new Date(report.history.at(-1)!.at)
	};
}

/**
 * The demo partnerships' yearly reports (data/demo/reports.json), only for a demo partnership
 * that has no report yet, all in one transaction with one insert per table. Nobody real wrote or
 * approved them: their approvals and events have no user. Returns how many partnerships got theirs.
 */
export async function addDemoReports(db: Database): Promise<number> {
	const file = readDataFile<ReportsFile>('demo', 'reports.json');
	const loaded = file.reports.map((r) => ({ r, state: replay(r) }));
	return runSystemChange(db, async (tx) => {
		const found = await tx
			.select({ id: partnership.id, slug: partnership.slug })
			.from(partnership)
			.where(inArray(partnership.slug, [...new Set(file.reports.map((r) => r.partnership))]));
		const reported = new Set(
			found.length
				? (
						await tx
							.selectDistinct({ id: annualReport.partnershipId })
							.from(annualReport)
							.where(
								inArray(
									annualReport.partnershipId,
									found.map((p) => p.id)
								)
							)
					).map((r) => r.id)
				: []
		);
		const idOf = new Map(found.filter((p) => !reported.has(p.id)).map((p) => [p.slug, p.id]));
		const reports = loaded.filter(({ r }) => idOf.has(r.partnership));
		if (reports.length === 0) return { result: 0, audit: [], public: false };

		const rows = await tx
			.insert(annualReport)
			.values(
				reports.map(({ r, state }) => ({
					partnershipId: idOf.get(r.partnership)!,
					year: r.year,
					status: state.status,
					lessons: r.lessons,
					plans: r.plans,
					submittedAt: state.submittedAt,
					approvedAt: state.approvedAt,
					createdAt: state.createdAt,
					updatedAt: state.updatedAt
				}))
			)
			.returning({ id: annualReport.id, partnershipId: annualReport.partnershipId, year: annualReport.year });
		const reportId = new Map(rows.map((x) => [`${x.partnershipId}:${x.year}`, x.id]));
		const idFor = (r: ReportFile) => reportId.get(`${idOf.get(r.partnership)}:${r.year}`)!;

		await tx
			.insert(reportPrinciple)
			.values(
				reports.flatMap(({ r }) =>
					Object.entries(r.principles).map(([principle, p]) => ({ reportId: idFor(r), principle, ...p }))
				)
			);
		const approvals = reports.flatMap(({ r, state }) =>
			state.approvals.map((a) => ({ reportId: idFor(r), side: a.side, userId: null, at: a.at }))
		);
		if (approvals.length) await tx.insert(reportApproval).values(approvals);
		await tx.insert(reportEvent).values(
			reports.flatMap(({ r }) =>
				r.history.map((e) => ({
					reportId: idFor(r),
					action: e.action,
					side: e.side ?? null,
					userId: null,
					comment: e.comment ?? null,
					at: new Date(e.at)
				}))
			)
		);

		const slugs = [...new Set(reports.map(({ r }) => r.partnership))];
		return {
			result: slugs.length,
			audit: { action: 'results.demo-reports', after: { slugs } },
			// Approved years show on the partnership pages and the dashboard.
			public: true
		};
	});
}
