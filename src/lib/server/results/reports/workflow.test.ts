import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { takeStep, type ReportState, type Step } from './workflow.ts';

const step: fc.Arbitrary<Step> = fc.oneof(
	fc.constant({ action: 'submit' as const }),
	fc.constantFrom('swedish' as const, 'international' as const, 'programme' as const).map((side) => ({
		action: 'approve' as const,
		side
	})),
	fc.constant({ action: 'return' as const, comment: 'Please add the figures for the second half.' }),
	fc.constant({ action: 'reopen' as const, reason: 'The survey figures were corrected.' })
);

const run = (steps: Step[]) => {
	let state: ReportState = { status: 'draft', approvals: [] };
	for (const s of steps) {
		const next = takeStep(state, s);
		if (!('refused' in next)) state = next;
	}
	return state;
};

describe('the yearly report’s steps', () => {
	it('goes through both partners and then the programme, and a returned report comes back', () => {
		const steps: Step[] = [
			{ action: 'submit' },
			{ action: 'approve', side: 'international' },
			{ action: 'return', comment: 'The self-assessment for transparency has no reasoning.' }
		];
		expect(run(steps)).toEqual({ status: 'returned', approvals: [] });
		expect(
			run([
				...steps,
				{ action: 'submit' },
				{ action: 'approve', side: 'swedish' },
				{ action: 'approve', side: 'international' },
				{ action: 'approve', side: 'programme' }
			])
		).toEqual({ status: 'approved', approvals: ['swedish', 'international', 'programme'] });
	});

	it('says why a step cannot be taken', () => {
		const submitted: ReportState = { status: 'submitted', approvals: ['swedish'] };
		expect(takeStep(submitted, { action: 'approve', side: 'programme' })).toEqual({
			refused: 'reportPartnersFirst'
		});
		expect(takeStep(submitted, { action: 'approve', side: 'swedish' })).toEqual({
			refused: 'reportSideApproved'
		});
		expect(takeStep(submitted, { action: 'submit' })).toEqual({ refused: 'reportNotEditable' });
		expect(takeStep({ status: 'draft', approvals: [] }, { action: 'approve', side: 'swedish' })).toEqual({
			refused: 'reportNotSubmitted'
		});
		expect(takeStep({ status: 'draft', approvals: [] }, { action: 'reopen', reason: 'x' })).toEqual({
			refused: 'reportNotApproved'
		});
		expect(
			takeStep(
				{ status: 'approved', approvals: ['swedish', 'international', 'programme'] },
				{ action: 'approve', side: 'swedish' }
			)
		).toEqual({ refused: 'reportAlreadyApproved' });
	});

	it('is approved exactly when all three sides have approved, whatever the order of steps', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
				const { status, approvals } = run(steps);
				expect(new Set(approvals).size).toBe(approvals.length);
				expect(status === 'approved').toBe(approvals.includes('programme'));
				if (status === 'approved')
					expect([...approvals].sort()).toEqual(['international', 'programme', 'swedish']);
				if (status === 'draft' || status === 'returned') expect(approvals).toEqual([]);
			})
		);
	});
});
