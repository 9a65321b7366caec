import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import { aFramework, keptTotals, type TestFramework } from '../../test/factories/results.ts';
import { organizationMember } from '../../organizations/schema.ts';
import { indicatorFigure } from '../schema.ts';
import { reportStep, saveReport, startReport } from './commands.ts';
import { lockedYears, reportFor, reportingYears, reportWithFigures } from './queries.ts';
import { field } from './input.ts';

const principles = ['participation', 'transparency', 'accountability', 'non-discrimination'];

describe.each(testDatabases)('the yearly report on $name', (database) => {
	let h: DatabaseHandle;
	let swedishCoordinator: TestActor;
	let partnerCoordinator: TestActor;
	let staff: TestActor;
	let outsider: TestActor;
	let p: TestPartnership;
	let framework: TestFramework;
	let periods: { rising: number; falling: number };

	beforeAll(async () => {
		h = await database.open();
		swedishCoordinator = await anActor(h.db, 'reader', { name: 'Samordnare Ale' });
		partnerCoordinator = await anActor(h.db, 'reader', { name: 'Coordinator Ghanzi' });
		staff = await anActor(h.db, 'editor', { name: 'Programme officer' });
		outsider = await anActor(h.db, 'reader');
		p = await aPartnership(h.db, {
			coordinators: [swedishCoordinator.id, partnerCoordinator.id],
			startYear: 2023
		});
		await h.db.insert(organizationMember).values([
			{ organizationId: p.swedish[0]!, userId: swedishCoordinator.id },
			{ organizationId: p.international[0]!, userId: partnerCoordinator.id }
		]);
		framework = await aFramework(h.db, p.id);
		const loaded = await reportWithFigures(h.db, p.id, 2025);
		periods = {
			rising: loaded.periods.find((x) => x.indicator.id === framework.rising)!.period.id,
			falling: loaded.periods.find((x) => x.indicator.id === framework.falling)!.period.id
		};
	});
	afterAll(async () => {
		await h?.close();
	});

	/** A complete form for 2025: English texts, every score, both actual values. */
	const complete = (): Record<string, unknown> => ({
		[field.lessons('en')]: 'Open budget meetings drew more young residents when held in the evening.',
		[field.plans('en')]: 'Hold two meetings in the villages outside the town.',
		...Object.fromEntries(
			principles.flatMap((pr, i) => [
				[field.principleText(pr, 'en'), `What we did for ${pr} this year.`],
				[field.score(pr), String(2 + (i % 3))],
				[field.reasoning(pr, 'en'), 'Seen in the meeting notes.']
			])
		),
		[field.actual(periods.rising)]: '58',
		[field.actual(periods.falling)]: '22,5',
		[field.actualComment(periods.falling, 'en')]: 'Counted from the case log in January.'
	});

	it('goes from a draft through both partners and the programme, returned once on the way', async () => {
		const slug = p.slug;
		await startReport(h.db, swedishCoordinator, slug, 2025);
		// Starting again finds the same report.
		await startReport(h.db, partnerCoordinator, slug, 2025);

		// Sent too early: every missing field is named, and nothing changes.
		await saveReport(h.db, swedishCoordinator, slug, 2025, {
			[field.lessons('sv')]: 'Kvällsmöten fungerade bäst.'
		});
		await expect(reportStep(h.db, swedishCoordinator, slug, 2025, 'submit')).rejects.toMatchObject({
			problems: expect.arrayContaining([
				{ field: field.lessons('en'), code: 'requiredForSubmission' },
				{ field: field.score('transparency'), code: 'requiredForSubmission' },
				{ field: field.actual(periods.rising), code: 'requiredForSubmission' }
			])
		});
		expect((await reportFor(h.db, p.id, 2025))!.status).toBe('draft');

		// Saved complete: the actual values are the framework's own figures for 2025.
		await saveReport(h.db, swedishCoordinator, slug, 2025, complete());
		const actuals = await h.db
			.select({ value: indicatorFigure.value, comment: indicatorFigure.comment })
			.from(indicatorFigure)
			.where(and(eq(indicatorFigure.periodId, periods.falling), eq(indicatorFigure.kind, 'actual')));
		expect(actuals).toEqual([{ value: '22,5', comment: { en: 'Counted from the case log in January.' } }]);
		// The totals the dashboard reads followed the report's figures.
		const totals = await keptTotals(h.db, p.id);
		expect(totals.kept).toEqual(totals.expected);
		expect(totals.kept).toContain(`period ${periods.falling}: target 20, actual 22,5`);

		await reportStep(h.db, swedishCoordinator, slug, 2025, 'submit');
		// Submitted: locked for changes, and its year's figures with it.
		await expect(saveReport(h.db, swedishCoordinator, slug, 2025, complete())).rejects.toMatchObject({
			problems: [{ field: 'form', code: 'reportNotEditable' }]
		});
		expect(await lockedYears(h.db, p.id)).toEqual([2025]);

		// The partner approves; staff cannot approve before the Swedish side has; staff return it.
		await reportStep(h.db, partnerCoordinator, slug, 2025, 'approve');
		await expect(reportStep(h.db, staff, slug, 2025, 'approve')).rejects.toMatchObject({
			problems: [{ field: 'form', code: 'reportPartnersFirst' }]
		});
		await expect(reportStep(h.db, staff, slug, 2025, 'return', { comment: '' })).rejects.toMatchObject({
			problems: [{ field: 'comment', code: 'required' }]
		});
		await reportStep(h.db, staff, slug, 2025, 'return', {
			comment: 'Please explain the score for accountability.'
		});
		let report = (await reportFor(h.db, p.id, 2025))!;
		expect(report.status).toBe('returned');
		expect(report.approvals).toEqual([]);

		// Corrected and sent again; both sides and then the programme approve.
		await saveReport(h.db, partnerCoordinator, slug, 2025, {
			...complete(),
			[field.reasoning('accountability', 'en')]: 'Two of three questions were answered in time.'
		});
		await reportStep(h.db, partnerCoordinator, slug, 2025, 'submit');
		await reportStep(h.db, swedishCoordinator, slug, 2025, 'approve');
		await expect(reportStep(h.db, swedishCoordinator, slug, 2025, 'approve')).rejects.toMatchObject({
			problems: [{ field: 'form', code: 'reportSideApproved' }]
		});
		await reportStep(h.db, partnerCoordinator, slug, 2025, 'approve');
		await reportStep(h.db, staff, slug, 2025, 'approve');
		report = (await reportFor(h.db, p.id, 2025))!;
		expect(report.status).toBe('approved');
		expect(report.approvals.map((a) => [a.side, a.by])).toEqual([
			['swedish', 'Samordnare Ale'],
			['international', 'Coordinator Ghanzi'],
			['programme', 'Programme officer']
		]);
		expect(report.principles.find((x) => x.principle === 'accountability')!.reasoning.en).toBe(
			'Two of three questions were answered in time.'
		);

		// A correction: only staff reopen, with a reason; the history keeps every step and why.
		await expect(
			reportStep(h.db, swedishCoordinator, slug, 2025, 'reopen', { comment: 'Typo' })
		).rejects.toThrow(ForbiddenError);
		await reportStep(h.db, staff, slug, 2025, 'reopen', {
			comment: 'The survey figure for 2025 was corrected.'
		});
		report = (await reportFor(h.db, p.id, 2025))!;
		expect(report.status).toBe('draft');
		expect(report.history.map((e) => [e.action, e.side, e.comment])).toEqual([
			['created', null, null],
			['submitted', null, null],
			['approved', 'international', null],
			['returned', null, 'Please explain the score for accountability.'],
			['submitted', null, null],
			['approved', 'swedish', null],
			['approved', 'international', null],
			['approved', 'programme', null],
			['reopened', null, 'The survey figure for 2025 was corrected.']
		]);
		expect(await lockedYears(h.db, p.id)).toEqual([]);
		const audited = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.subject, `report:${report.id}`));
		expect(audited.map((a) => a.action)).toContain('results.report-reopened');
	});

	it('lets only the partnership’s coordinators and staff write, and checks values by measure', async () => {
		await expect(startReport(h.db, outsider, p.slug, 2024)).rejects.toThrow(ForbiddenError);
		await startReport(h.db, swedishCoordinator, p.slug, 2024);
		await expect(reportStep(h.db, outsider, p.slug, 2024, 'approve')).rejects.toThrow(ForbiddenError);
		const loaded = await reportWithFigures(h.db, p.id, 2024);
		const rising = loaded.periods.find((x) => x.indicator.id === framework.rising)!.period.id;
		await expect(
			saveReport(h.db, swedishCoordinator, p.slug, 2024, {
				[field.actual(rising)]: 'about forty',
				[field.score('participation')]: '7'
			})
		).rejects.toMatchObject({
			problems: [
				{ field: field.score('participation'), code: 'invalidScore' },
				{ field: field.actual(rising), code: 'invalidNumber' }
			]
		});
	});

	it('counts the years a partnership answers for from when it began following up on the platform', async () => {
		// p started in 2023 and its framework's periods end in 2024 and 2025: answerable from 2024.
		const fresh = await aPartnership(h.db, { startYear: 2024 });
		const years = await reportingYears(h.db, [p.id, fresh.id]);
		expect(
			years
				.get(p.id)!
				.map((y) => y.year)
				.slice(0, 2)
		).toEqual([2024, 2025]);
		expect(years.get(p.id)!.find((y) => y.year === 2025)).toMatchObject({ due: '2026-03-31' });
		expect(years.get(p.id)!.find((y) => y.year === 2025)!.submittedAt).not.toBeNull();
		// Nothing entered yet: from its start year.
		expect(years.get(fresh.id)![0]).toEqual({ year: 2024, due: '2025-03-31', submittedAt: null });
	});
});
