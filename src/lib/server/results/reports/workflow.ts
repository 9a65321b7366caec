import type { ApprovalSide, ReportStatus } from './schema.ts';

// The yearly report's steps as a pure rule, so that every path is tested without a database:
//   draft ─submit→ submitted ─approve(swedish), approve(international)→ … ─approve(programme)→ approved
//   submitted ─return(comment)→ returned ─submit→ submitted …
//   approved ─reopen(reason)→ draft (a correction; the history keeps why)
// The programme approves last, once both partners have. Returning or reopening clears approvals.

export type Step =
	| { action: 'submit' }
	| { action: 'approve'; side: ApprovalSide }
	| { action: 'return'; comment: string }
	| { action: 'reopen'; reason: string };

export interface ReportState {
	status: ReportStatus;
	approvals: ApprovalSide[];
}

/** Why a step cannot be taken now (an error code in the results catalogue). */
export type StepRefusal =
	| 'reportNotEditable'
	| 'reportNotSubmitted'
	| 'reportAlreadyApproved'
	| 'reportNotApproved'
	| 'reportPartnersFirst'
	| 'reportSideApproved';

/** The state after the step, or why it cannot be taken. */
export function takeStep(state: ReportState, step: Step): ReportState | { refused: StepRefusal } {
	switch (step.action) {
		case 'submit':
			if (!editable(state.status)) return { refused: 'reportNotEditable' };
			return { status: 'submitted', approvals: [] };
		case 'approve': {
			if (state.status === 'approved') return { refused: 'reportAlreadyApproved' };
			if (state.status !== 'submitted') return { refused: 'reportNotSubmitted' };
			if (state.approvals.includes(step.side)) return { refused: 'reportSideApproved' };
			if (
				step.side === 'programme' &&
				!(['swedish', 'international'] as const).every((s) => state.approvals.includes(s))
			) {
				return { refused: 'reportPartnersFirst' };
			}
			const approvals = [...state.approvals, step.side];
			return { status: step.side === 'programme' ? 'approved' : 'submitted', approvals };
		}
		case 'return':
			if (state.status !== 'submitted') return { refused: 'reportNotSubmitted' };
			return { status: 'returned', approvals: [] };
		case 'reopen':
			if (state.status !== 'approved') return { refused: 'reportNotApproved' };
			return { status: 'draft', approvals: [] };
	}
}

/** Whether the report (its texts, and the figures of its year) may be changed. */
export function editable(status: ReportStatus): boolean {
	return status === 'draft' || status === 'returned';
}
