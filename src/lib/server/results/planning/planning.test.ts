import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, anonymous, everyRole, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import { aFramework, keptTotals, type TestFramework } from '../../test/factories/results.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import type { Role } from '#lib/roles.ts';
import { frameworkOf } from '../queries.ts';
import { annualReport } from '../reports/schema.ts';
import { resultActivity } from '../schema.ts';
import {
	addActivity,
	addIndicator,
	addPeriod,
	addResult,
	editActivity,
	editIndicator,
	editPeriod,
	editResult,
	removeIndicator,
	removePeriod,
	removeResult,
	savePlan
} from './commands.ts';
import { planningOf } from './queries.ts';

/** A form as the browser sends it (empty fields left out, as an untouched field reads). */
const formOf = (fields: Record<string, string | string[]>) => {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields))
		for (const v of [value].flat()) if (v !== '') form.append(name, v);
	return form;
};

/** The problems a refused change names, or the error it threw. */
const refusal = (p: Promise<unknown>) =>
	p.then(
		() => 'saved',
		(e: unknown) => (e instanceof ValidationError ? e.problems : e)
	);

describe.each(testDatabases)('the planning view’s changes, item by item, on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let stranger: TestActor;
	let ours: TestPartnership;
	let theirs: TestPartnership;
	let built: TestPartnership;
	let plan: TestFramework;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader');
		stranger = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
		built = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'inception' });
		theirs = await aPartnership(h.db, { coordinators: [stranger.id] });
		plan = await aFramework(h.db, ours.id);
	});
	afterAll(async () => {
		await h?.close();
	});

	const planning = (p: TestPartnership) => planningOf(h.db, p.id);

	it('lets a coordinator build a new partnership’s plan step by step, each change audited', async () => {
		const empty = await planning(built);
		expect(empty.results).toEqual([]);
		await savePlan(
			h.db,
			coordinator,
			built.slug,
			formOf({
				step: 'analysis',
				problem_sv: 'Få unga deltar i kommunens samråd.',
				causes_sv: 'Mötena hålls dagtid.',
				effects_en: 'Decisions miss young people’s views.',
				version: empty.version
			})
		);
		const impact = await addResult(
			h.db,
			coordinator,
			built.slug,
			formOf({
				level: 'impact',
				title_sv: 'Unga påverkar besluten',
				principle: 'participation',
				goals: ['16', '10'],
				targets: '16.7, 10.2'
			})
		);
		const outcome = await addResult(
			h.db,
			coordinator,
			built.slug,
			formOf({
				level: 'outcome',
				parent: String(impact),
				title_en: 'Youth councils meet monthly',
				weight: '1,5'
			})
		);
		const indicator = await addIndicator(
			h.db,
			coordinator,
			built.slug,
			formOf({
				result: String(outcome),
				measure: 'unit',
				direction: 'ascending',
				title_sv: 'Antal unga på mötena',
				dataSource_sv: 'Närvarolistor',
				baselineYear: '2025',
				baselineValue: '12,5'
			})
		);
		await addPeriod(
			h.db,
			coordinator,
			built.slug,
			formOf({ indicator: String(indicator), start: '2026-01-01', end: '2026-12-31', target: '40' })
		);
		await addActivity(
			h.db,
			coordinator,
			built.slug,
			formOf({ title_sv: 'Första rådsmötet', milestone: 'on', end: '2026-03-15', result: String(outcome) })
		);

		const after = await planning(built);
		expect(after.texts.problem).toEqual({ sv: 'Få unga deltar i kommunens samråd.' });
		expect(after.texts.effects).toEqual({ en: 'Decisions miss young people’s views.' });
		expect(after.version).not.toBe('');
		const framework = await frameworkOf(h.db, built.id);
		expect(framework.results).toHaveLength(1);
		const [top] = framework.results;
		expect(top).toMatchObject({
			id: impact,
			level: 'impact',
			principle: 'participation',
			goals: [10, 16],
			targets: ['10.2', '16.7']
		});
		expect(top!.children[0]).toMatchObject({ id: outcome, level: 'outcome', weight: 1.5 });
		const measured = top!.children[0]!.indicators[0]!;
		// A decimal comma is stored with a point, as IATI (and the import) want it.
		expect(measured.baselines[0]).toMatchObject({ year: 2025, value: '12.5' });
		expect(measured.dataSource).toEqual({ sv: 'Närvarolistor' });
		expect(measured.periods[0]).toMatchObject({ start: '2026-01-01', end: '2026-12-31' });
		expect(measured.periods[0]!.targets[0]!.value).toBe('40');
		expect(framework.activities[0]).toMatchObject({
			milestone: true,
			start: null,
			end: '2026-03-15',
			resultId: outcome
		});

		const audited = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(and(eq(auditLog.subject, `partnership:${built.id}`), like(auditLog.action, 'results.plan.%')));
		expect(audited.map((a) => a.action).toSorted()).toEqual(
			[
				'results.plan.addActivity',
				'results.plan.addIndicator',
				'results.plan.addPeriod',
				'results.plan.addResult',
				'results.plan.addResult',
				'results.plan.savePlan'
			].toSorted()
		);
	});

	it('refuses what does not fit, naming the field: the tree’s levels, values for the measure, dates', async () => {
		const now = await planning(ours);
		const outcome = now.results.find((r) => r.id === plan.outcome)!;
		// An output belongs under an outcome, not under an impact; an impact has no parent.
		expect(
			await refusal(
				addResult(
					h.db,
					coordinator,
					ours.slug,
					formOf({ level: 'output', parent: String(plan.impact), title_sv: 'X' })
				)
			)
		).toEqual([{ field: 'parent', code: 'parentLevel' }]);
		expect(
			await refusal(
				addResult(
					h.db,
					coordinator,
					ours.slug,
					formOf({ level: 'impact', parent: String(plan.outcome), title_sv: 'X' })
				)
			)
		).toEqual([{ field: 'parent', code: 'parentLevel' }]);
		expect(await refusal(addResult(h.db, coordinator, ours.slug, formOf({ level: 'impact' })))).toEqual([
			{ field: 'title_sv', code: 'planTitleRequired' }
		]);
		// A result of another partnership is not a parent here.
		const elsewhere = await aFramework(h.db, theirs.id);
		expect(
			await refusal(
				addResult(
					h.db,
					coordinator,
					ours.slug,
					formOf({ level: 'outcome', parent: String(elsewhere.impact), title_sv: 'X' })
				)
			)
		).toEqual([{ field: 'parent', code: 'planUnknownParent' }]);
		// Text where a number is needed; a value for a qualitative indicator; a value without its year.
		const indicator = (fields: Record<string, string>) =>
			refusal(
				addIndicator(
					h.db,
					coordinator,
					ours.slug,
					formOf({ result: String(outcome.id), measure: 'unit', title_sv: 'Y', ...fields })
				)
			);
		expect(await indicator({ baselineYear: '2024', baselineValue: 'about fifty' })).toEqual([
			{ field: 'baselineValue', code: 'invalidNumber' }
		]);
		expect(await indicator({ measure: 'qualitative', baselineYear: '2024', baselineValue: '3' })).toEqual([
			{ field: 'baselineValue', code: 'valueForQualitative' }
		]);
		expect(await indicator({ baselineValue: '3' })).toEqual([
			{ field: 'baselineYear', code: 'baselineYearMissing' }
		]);
		expect(await indicator({ measure: 'percentage', weight: '-2' })).toEqual([
			{ field: 'weight', code: 'invalidPlanWeight' }
		]);
		// A period ends after it starts, its dates are the indicator's once, its target fits the measure.
		const period = (fields: Record<string, string>) =>
			refusal(addPeriod(h.db, coordinator, ours.slug, formOf({ indicator: String(plan.rising), ...fields })));
		expect(await period({ start: '2027-12-31', end: '2027-01-01' })).toEqual([
			{ field: 'end', code: 'planPeriodOrder' }
		]);
		expect(await period({ start: '2025-01-01', end: '2025-12-31' })).toEqual([
			{ field: 'start', code: 'planPeriodTwice' }
		]);
		expect(await period({ start: '2027-01-01', end: '2027-12-31', target: 'many' })).toEqual([
			{ field: 'target', code: 'invalidNumber' }
		]);
		expect(
			await refusal(
				addPeriod(
					h.db,
					coordinator,
					ours.slug,
					formOf({ indicator: String(plan.qualitative), start: '2027-01-01', end: '2027-12-31', target: '5' })
				)
			)
		).toEqual([{ field: 'target', code: 'valueForQualitative' }]);
		expect(
			await refusal(
				addActivity(
					h.db,
					coordinator,
					ours.slug,
					formOf({ title_sv: 'Z', start: '2026-05-01', end: '2026-04-01' })
				)
			)
		).toEqual([{ field: 'end', code: 'activityOrder' }]);
		// Nothing of it was saved.
		expect((await planning(ours)).results).toEqual(now.results);
	});

	it('edits in place: ids, activity links and figures stay; a form opened before another save is refused', async () => {
		const before = await planning(ours);
		const outcome = before.results.find((r) => r.id === plan.outcome)!;
		await editResult(
			h.db,
			coordinator,
			ours.slug,
			plan.outcome,
			formOf({
				level: 'outcome',
				parent: String(plan.impact),
				title_sv: 'Öppnare nämndmöten',
				title_en: 'More open committee meetings',
				principle: 'transparency',
				version: outcome.version
			})
		);
		// The same form again, opened before that save: refused, nothing overwritten.
		expect(
			await refusal(
				editResult(
					h.db,
					people.editor,
					ours.slug,
					plan.outcome,
					formOf({
						level: 'outcome',
						parent: String(plan.impact),
						title_sv: 'Gammalt',
						version: outcome.version
					})
				)
			)
		).toEqual([{ field: 'form', code: 'planStale' }]);
		const after = await planning(ours);
		const edited = after.results.find((r) => r.id === plan.outcome)!;
		expect(edited.title).toEqual({ sv: 'Öppnare nämndmöten', en: 'More open committee meetings' });
		expect(edited.indicators.map((i) => i.id)).toEqual(outcome.indicators.map((i) => i.id));
		expect(edited.indicators[0]!.periods.map((p) => p.id)).toEqual(
			outcome.indicators[0]!.periods.map((p) => p.id)
		);

		// The indicator and its period keep their ids; the actual values stay.
		const rising = edited.indicators.find((i) => i.id === plan.rising)!;
		await editIndicator(
			h.db,
			coordinator,
			ours.slug,
			plan.rising,
			formOf({
				measure: 'unit',
				direction: 'ascending',
				title_sv: 'Besökare på nämndmöten',
				dataSource_sv: 'Protokoll',
				baselineYear: '2023',
				baselineValue: '41',
				version: rising.version
			})
		);
		expect(
			await refusal(
				editIndicator(
					h.db,
					coordinator,
					ours.slug,
					plan.rising,
					formOf({ measure: 'unit', title_sv: 'Gammalt', version: rising.version })
				)
			)
		).toEqual([{ field: 'form', code: 'planStale' }]);
		const p2025 = rising.periods.find((p) => p.start === '2025-01-01')!;
		await editPeriod(
			h.db,
			coordinator,
			ours.slug,
			p2025.id,
			formOf({ start: '2025-01-01', end: '2025-12-31', target: '65', version: p2025.version })
		);
		const framework = await frameworkOf(h.db, ours.id);
		const stored = framework.results[0]!.children[0]!.indicators.find((i) => i.id === plan.rising)!;
		expect(stored.baselines.find((b) => b.dimensions.length === 0)?.value).toBe('41');
		const period = stored.periods.find((p) => p.id === p2025.id)!;
		expect(period.targets.find((f) => f.dimensions.length === 0)?.value).toBe('65');
		expect(period.actuals.length).toBeGreaterThan(0);
		// The totals the dashboard reads followed the baseline and the target.
		const totals = await keptTotals(h.db, ours.id);
		expect(totals.kept).toEqual(totals.expected);
		expect(totals.kept).toContain(`indicator ${plan.rising}: baseline 41`);
		expect(totals.kept).toContain(`period ${p2025.id}: target 65, actual 55`);
		// A measure the stored figures do not fit is refused.
		const current = (await planning(ours)).results
			.flatMap((r) => r.indicators)
			.find((i) => i.id === plan.rising)!;
		expect(
			await refusal(
				editIndicator(
					h.db,
					coordinator,
					ours.slug,
					plan.rising,
					formOf({ measure: 'qualitative', title_sv: 'Ord', version: current.version })
				)
			)
		).toEqual([{ field: 'measure', code: 'measureFigures' }]);

		// An activity keeps its id; its link to the result too.
		const activity = (await planning(ours)).activities.find((a) => a.id === plan.activity)!;
		await editActivity(
			h.db,
			coordinator,
			ours.slug,
			plan.activity,
			formOf({
				title_sv: 'Utbildning för nämndsekreterare',
				start: '2024-02-01',
				end: '2024-06-30',
				result: String(plan.outcome),
				version: activity.version
			})
		);
		const [row] = await h.db.select().from(resultActivity).where(eq(resultActivity.id, plan.activity));
		expect(row).toMatchObject({ resultId: plan.outcome, end: '2024-06-30' });
		expect(
			await refusal(
				editActivity(
					h.db,
					coordinator,
					ours.slug,
					plan.activity,
					formOf({ title_sv: 'Gammalt', end: '2024-06-30', version: activity.version })
				)
			)
		).toEqual([{ field: 'form', code: 'planStale' }]);
		// The plan's texts likewise.
		const texts = await planning(ours);
		await savePlan(
			h.db,
			coordinator,
			ours.slug,
			formOf({ step: 'stakeholders', stakeholders_sv: 'Unga', version: texts.version })
		);
		expect(
			await refusal(
				savePlan(
					h.db,
					people.editor,
					ours.slug,
					formOf({ step: 'assumptions', assumptions_sv: 'X', version: texts.version })
				)
			)
		).toEqual([{ field: 'form', code: 'planStale' }]);
	});

	it('leaves the figures of a year whose report is sent alone, as replaceFramework does', async () => {
		await h.db.insert(annualReport).values({ partnershipId: ours.id, year: 2024, status: 'submitted' });
		try {
			const now = await planning(ours);
			const rising = now.results.flatMap((r) => r.indicators).find((i) => i.id === plan.rising)!;
			const p2024 = rising.periods.find((p) => p.end === '2024-12-31')!;
			expect(p2024.locked).toBe(true);
			const locked = {
				field: 'target',
				code: 'lockedYear',
				params: { year: '2024', result: '1.1', indicator: '1' }
			};
			expect(
				await refusal(
					editPeriod(
						h.db,
						coordinator,
						ours.slug,
						p2024.id,
						formOf({ start: '2024-01-01', end: '2024-12-31', target: '51', version: p2024.version })
					)
				)
			).toEqual([locked]);
			// Moved out of the locked year, its figures would leave it: refused too.
			expect(
				await refusal(
					editPeriod(
						h.db,
						coordinator,
						ours.slug,
						p2024.id,
						formOf({ start: '2026-01-01', end: '2026-12-31', target: '50', version: p2024.version })
					)
				)
			).toEqual([locked]);
			expect(
				await refusal(
					removePeriod(h.db, coordinator, ours.slug, p2024.id, formOf({ version: p2024.version }))
				)
			).toEqual([{ ...locked, field: 'form' }]);
			expect(
				await refusal(
					removeIndicator(
						h.db,
						coordinator,
						ours.slug,
						plan.rising,
						formOf({ confirm: 'on', version: rising.version })
					)
				)
			).toEqual([{ ...locked, field: 'form' }]);
			const impact = now.results.find((r) => r.id === plan.impact)!;
			expect(
				await refusal(
					removeResult(
						h.db,
						people.editor,
						ours.slug,
						plan.impact,
						formOf({ confirm: 'on', version: impact.version })
					)
				)
			).toMatchObject([{ field: 'form', code: 'lockedYear', params: { year: '2024' } }]);
			// A target in the locked year for a new period is refused; an open year may change.
			expect(
				await refusal(
					addPeriod(
						h.db,
						coordinator,
						ours.slug,
						formOf({ indicator: String(plan.qualitative), start: '2024-01-01', end: '2024-06-30' })
					)
				)
			).toBe('saved');
			const p2025 = rising.periods.find((p) => p.end === '2025-12-31')!;
			await editPeriod(
				h.db,
				coordinator,
				ours.slug,
				p2025.id,
				formOf({ start: '2025-01-01', end: '2025-12-31', target: '66', version: p2025.version })
			);
		} finally {
			await h.db.delete(annualReport).where(eq(annualReport.partnershipId, ours.id));
		}
	});

	it('removes a result with everything under it once confirmed; its activities stay, unlinked', async () => {
		const now = await planning(ours);
		const outcome = now.results.find((r) => r.id === plan.outcome)!;
		expect(outcome.below).toEqual({ results: 1, indicators: 2 });
		expect(
			await refusal(
				removeResult(h.db, coordinator, ours.slug, plan.outcome, formOf({ version: outcome.version }))
			)
		).toEqual([{ field: 'confirm', code: 'removalNotConfirmed' }]);
		await removeResult(
			h.db,
			coordinator,
			ours.slug,
			plan.outcome,
			formOf({ confirm: 'on', version: outcome.version })
		);
		const after = await planning(ours);
		expect(after.results.map((r) => r.id)).toEqual([plan.impact]);
		const [activity] = await h.db.select().from(resultActivity).where(eq(resultActivity.id, plan.activity));
		expect(activity!.resultId).toBeNull();
	});

	it('is for the partnership’s coordinators and the programme’s editors only', async () => {
		const form = () => formOf({ level: 'impact', title_sv: 'Obehörig' });
		expect(await refusal(addResult(h.db, anonymous, ours.slug, form()))).toMatchObject({
			signInRequired: true
		});
		expect(await refusal(addResult(h.db, stranger, ours.slug, form()))).toBeInstanceOf(ForbiddenError);
		expect(await refusal(addResult(h.db, people.author, ours.slug, form()))).toBeInstanceOf(ForbiddenError);
		expect(await refusal(addResult(h.db, people.reader, ours.slug, form()))).toBeInstanceOf(ForbiddenError);
		expect(await refusal(addResult(h.db, people.editor, ours.slug, form()))).toBe('saved');
		expect(await refusal(addResult(h.db, people.admin, ours.slug, form()))).toBe('saved');
		// An item of another partnership is not found through this one.
		const theirs2 = await planning(theirs);
		expect(
			await refusal(
				editResult(
					h.db,
					coordinator,
					ours.slug,
					theirs2.results[0]!.id,
					formOf({ level: 'impact', title_sv: 'X', version: theirs2.results[0]!.version })
				)
			)
		).toBeInstanceOf(NotFoundError);
		expect(await refusal(addResult(h.db, coordinator, 'no-such-partnership', form()))).toBeInstanceOf(
			NotFoundError
		);
	});
});
