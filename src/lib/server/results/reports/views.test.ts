import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError } from '../../kernel/errors.ts';
import { anActor, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import { aFramework } from '../../test/factories/results.ts';
import { organizationMember } from '../../organizations/schema.ts';
import { reportDeadline } from './schema.ts';
import { reportStep, saveReport, startReport } from './commands.ts';
import { field } from './input.ts';
import { reportPageView, reportYearsView } from './views.ts';

const principles = ['participation', 'transparency', 'accountability', 'non-discrimination'];

describe.each(testDatabases)('the yearly report’s pages on $name', (database) => {
	let h: DatabaseHandle;
	let swedish: TestActor;
	let partner: TestActor;
	let member: TestActor;
	let staff: TestActor;
	let author: TestActor;
	let outsider: TestActor;
	let p: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		swedish = await anActor(h.db, 'reader', { name: 'Samordnare Ale' });
		partner = await anActor(h.db, 'reader', { name: 'Coordinator Ghanzi' });
		member = await anActor(h.db, 'reader');
		staff = await anActor(h.db, 'editor', { name: 'Programme officer' });
		author = await anActor(h.db, 'author');
		outsider = await anActor(h.db, 'reader');
		p = await aPartnership(h.db, {
			coordinators: [swedish.id, partner.id],
			members: [member.id],
			startYear: 2023
		});
		await h.db.insert(organizationMember).values([
			{ organizationId: p.swedish[0]!, userId: swedish.id },
			{ organizationId: p.international[0]!, userId: partner.id }
		]);
		await aFramework(h.db, p.id);
		await h.db
			.insert(reportDeadline)
			.values([2023, 2024, 2025].map((year) => ({ year, due: `${year + 1}-03-31` })))
			.onConflictDoNothing();
	});
	afterAll(async () => {
		await h?.close();
	});

	it('lists the years due and the current one, latest first, for the partnership’s people and staff', async () => {
		const now = new Date('2026-06-01T12:00:00Z');
		await startReport(h.db, swedish, p.slug, 2024);
		const view = await reportYearsView(h.db, member, 'en', p.slug, now);
		expect(view.years.map((y) => [y.year, y.due, y.status])).toEqual([
			[2026, '2027-03-31', null],
			[2025, '2026-03-31', null],
			[2024, '2025-03-31', 'draft']
		]);
		// (It started in 2023, but began following up on the platform with its first period, in 2024.)
		// 2024 and 2025 passed without a report.
		expect(view.light).toBe('inactive');
		expect(view.canWrite).toBe(false);
		expect((await reportYearsView(h.db, author, 'en', p.slug, now)).canWrite).toBe(false);
		expect((await reportYearsView(h.db, swedish, 'en', p.slug, now)).canWrite).toBe(true);
		await expect(reportYearsView(h.db, outsider, 'en', p.slug, now)).rejects.toThrow(ForbiddenError);
		await expect(reportYearsView(h.db, null, 'en', p.slug, now)).rejects.toMatchObject({
			signInRequired: true
		});
	});

	it('shows a draft to its people with the form, and an approved report to anyone without the steps', async () => {
		await startReport(h.db, swedish, p.slug, 2025);
		const page = await reportPageView(h.db, swedish, 'en', p.slug, 2025);
		expect(page.rights).toMatchObject({ write: true, approve: null, return: false, reopen: false });
		expect(page.principles.map((x) => x.key)).toEqual(principles);
		expect(page.periods.length).toBeGreaterThan(0);
		await expect(reportPageView(h.db, outsider, 'en', p.slug, 2025)).rejects.toThrow(ForbiddenError);
		expect((await reportPageView(h.db, author, 'en', p.slug, 2025)).rights?.write).toBe(false);

		const values: Record<string, string> = {
			[field.lessons('en')]: 'Evening meetings worked best.',
			[field.plans('en')]: 'Two meetings in the villages.',
			...Object.fromEntries(
				principles.flatMap((pr) => [
					[field.principleText(pr, 'en'), `What we did for ${pr}.`],
					[field.score(pr), '4']
				])
			),
			...Object.fromEntries(page.periods.map((x) => [x.names.value, '12,5']))
		};
		await saveReport(h.db, swedish, p.slug, 2025, values);
		// The form is filled from what is saved; the reader sees numbers as the language writes them.
		const saved = await reportPageView(h.db, partner, 'sv', p.slug, 2025);
		expect(saved.values[field.lessons('en')]).toBe('Evening meetings worked best.');
		expect(saved.values[field.score('transparency')]).toBe('4');
		expect(saved.periods[0]!.value).toBe('12,5');

		await reportStep(h.db, swedish, p.slug, 2025, 'submit');
		const sent = await reportPageView(h.db, partner, 'en', p.slug, 2025);
		expect(sent.rights).toMatchObject({ write: false, approve: 'international' });
		expect((await reportPageView(h.db, staff, 'en', p.slug, 2025)).rights).toMatchObject({
			approve: null,
			waitForPartners: true,
			return: true
		});
		expect((await reportPageView(h.db, member, 'en', p.slug, 2025)).rights).toMatchObject({
			approve: null,
			return: false
		});
		await expect(reportPageView(h.db, null, 'en', p.slug, 2025)).rejects.toMatchObject({
			signInRequired: true
		});

		await reportStep(h.db, partner, p.slug, 2025, 'approve');
		await reportStep(h.db, swedish, p.slug, 2025, 'approve');
		expect((await reportPageView(h.db, staff, 'en', p.slug, 2025)).rights?.approve).toBe('programme');
		await reportStep(h.db, staff, p.slug, 2025, 'approve');

		const approved = await reportPageView(h.db, null, 'en', p.slug, 2025);
		expect(approved.report?.status).toBe('approved');
		expect(approved.report?.lessons).toBe('Evening meetings worked best.');
		expect(approved.rights).toBeNull();
		expect(approved.values).toEqual({});
		expect((await reportPageView(h.db, staff, 'en', p.slug, 2025)).rights).toMatchObject({
			write: false,
			reopen: true
		});
		expect(
			(await reportPageView(h.db, staff, 'en', p.slug, 2025)).report?.history.map((e) => [e.action, e.side])
		).toEqual([
			['created', null],
			['submitted', null],
			['approved', 'international'],
			['approved', 'swedish'],
			['approved', 'programme']
		]);
	});
});
