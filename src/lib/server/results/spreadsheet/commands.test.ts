import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { testDatabases } from '../../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import { aFramework } from '../../test/factories/results.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import type { Role } from '#lib/roles.ts';
import { frameworkValues } from '../input.ts';
import { frameworkOf } from '../queries.ts';
import { annualReport } from '../reports/schema.ts';
import { resultActivity } from '../schema.ts';
import { replaceFramework } from '../commands.ts';
import { applySpreadsheet, previewSpreadsheet, spreadsheetCsv, spreadsheetXlsx } from './commands.ts';
import { tableOf } from './files.ts';

// The round trip on both databases: export → preview (nothing to change) → one edited value →
// preview shows it at its row → apply saves it in one audited command; a stale preview, a locked
// year and a person who may not are refused, and nothing is saved.

describe.each(testDatabases)('the results spreadsheet, imported, on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
		await aFramework(h.db, ours.id);
	});
	afterAll(async () => {
		await h?.close();
	});

	const stored = async () => frameworkValues(await frameworkOf(h.db, ours.id));
	const csvText = async () =>
		new TextDecoder().decode(await (await spreadsheetCsv(h.db, ours.slug)).arrayBuffer());
	const file = (text: string, name = 'results.csv') => new File([text], name);
	/** The exported CSV with the rising indicator's 2024 actual (`was`, first 45) changed to `value`. */
	const edited = (csv: string, value: string, was = '45') => {
		const lines = csv.split('\r\n');
		const at = lines.findIndex((l) => l.includes(',actual,') && l.includes(`,2024-12-31,${was},`));
		expect(at).toBeGreaterThan(0);
		lines[at] = lines[at]!.replace(`,2024-12-31,${was},`, `,2024-12-31,${value},`);
		return { text: lines.join('\r\n'), row: at + 1 };
	};

	it('exports the framework as CSV and XLSX that import back with nothing to change', async () => {
		const csv = await previewSpreadsheet(h.db, coordinator, ours.slug, file(await csvText()));
		expect(csv).toMatchObject({ problems: [], changes: [], sheet: null });
		const xlsx = await spreadsheetXlsx(h.db, ours.slug);
		expect(xlsx.headers.get('content-disposition')).toContain(`${ours.slug}-results.xlsx`);
		const bytes = new Uint8Array(await xlsx.arrayBuffer());
		expect('table' in (await tableOf(bytes))).toBe(true);
		const again = await previewSpreadsheet(h.db, coordinator, ours.slug, new File([bytes], 'r.xlsx'));
		expect(again).toMatchObject({ problems: [], changes: [], sheet: null });
	});

	it('previews one changed value at its row and saves exactly it, audited', async () => {
		const before = await stored();
		const { text, row } = edited(await csvText(), '47');
		const preview = await previewSpreadsheet(h.db, coordinator, ours.slug, file(text));
		expect(preview.problems).toEqual([]);
		expect(preview.changes).toMatchObject([
			{ change: 'changed', what: 'figure', kind: 'actual', column: 'value', before: '45', after: '47', row }
		]);
		expect(await stored()).toEqual(before);
		await applySpreadsheet(h.db, coordinator, ours.slug, { sheet: preview.sheet!, version: preview.version });
		const after = await stored();
		const rising = after.results[0]!.children[0]!.indicators[0]!;
		expect(rising.periods[0]!.actuals[0]!.value).toBe('47');
		rising.periods[0]!.actuals[0]!.value = '45';
		expect(after).toEqual(before);
		const [audit] = await h.db
			.select()
			.from(auditLog)
			.where(
				and(eq(auditLog.action, 'results.replaceFramework'), eq(auditLog.subject, `partnership:${ours.id}`))
			)
			.orderBy(desc(auditLog.id))
			.limit(1);
		expect(audit?.actorId).toBe(coordinator.id);
	});

	it('refuses a preview made before someone else saved, and a file with a bad cell, saving nothing', async () => {
		const first = await previewSpreadsheet(
			h.db,
			coordinator,
			ours.slug,
			file(edited(await csvText(), '48', '47').text)
		);
		const second = await previewSpreadsheet(
			h.db,
			people.editor,
			ours.slug,
			file(edited(await csvText(), '49', '47').text)
		);
		await applySpreadsheet(h.db, people.editor, ours.slug, { sheet: second.sheet!, version: second.version });
		const stale = await applySpreadsheet(h.db, coordinator, ours.slug, {
			sheet: first.sheet!,
			version: first.version
		}).catch((e: unknown) => e);
		expect((stale as ValidationError).problems).toEqual([{ field: 'spreadsheet', code: 'sheetChanged' }]);
		const now = await stored();
		expect(now.results[0]!.children[0]!.indicators[0]!.periods[0]!.actuals[0]!.value).toBe('49');

		const bad = edited(await csvText(), 'about fifty', '49');
		const preview = await previewSpreadsheet(h.db, coordinator, ours.slug, file(bad.text));
		expect(preview.sheet).toBeNull();
		expect(preview.problems).toMatchObject([{ row: bad.row, column: 'value', code: 'notNumeric' }]);
		const forced = await applySpreadsheet(h.db, coordinator, ours.slug, {
			sheet: Buffer.from(bad.text).toString('base64'),
			version: preview.version
		}).catch((e: unknown) => e);
		expect((forced as ValidationError).problems).toEqual([
			{ field: 'spreadsheet', code: 'sheetHasProblems' }
		]);
		expect(await stored()).toEqual(now);
	});

	it('refuses, row by row, a change to a year whose report is sent', async () => {
		await h.db.insert(annualReport).values({ partnershipId: ours.id, year: 2024, status: 'submitted' });
		const { text, row } = edited(await csvText(), '50', '49');
		const preview = await previewSpreadsheet(h.db, coordinator, ours.slug, file(text));
		expect(preview.sheet).toBeNull();
		expect(preview.problems).toMatchObject([
			{ row, column: 'value', code: 'lockedYear', params: { year: '2024' } }
		]);
		await h.db.delete(annualReport).where(eq(annualReport.partnershipId, ours.id));
	});

	it('keeps the plan’s links through a changed value; a result left out of the file unlinks only its own', async () => {
		const plan = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
		// Result 1 with the outcome (1.1, its output under it) and two outputs beside it: 1.2 and 1.3.
		const values = await stored();
		const output = values.results[0]!.children[0]!.children[0]!;
		values.results[0]!.children.push(
			{ ...output, title: { en: 'Second output' } },
			{ ...output, title: { en: 'Third output' } }
		);
		await replaceFramework(h.db, people.editor, plan.slug, 'form', () => ({ values }));
		const idsAt = async () => (await frameworkOf(h.db, plan.id)).results[0]!.children.map((r) => r.id);
		const [first, second, third] = await idsAt();
		await h.db.insert(resultActivity).values([
			{ partnershipId: plan.id, resultId: second!, title: { en: 'For 1.2' }, end: '2025-06-30' },
			{ partnershipId: plan.id, resultId: third!, title: { en: 'For 1.3' }, end: '2025-06-30' }
		]);
		const links = async () =>
			(
				await h.db
					.select({ resultId: resultActivity.resultId })
					.from(resultActivity)
					.where(eq(resultActivity.partnershipId, plan.id))
					.orderBy(resultActivity.id)
			).map((a) => a.resultId);
		const csv = async () =>
			new TextDecoder().decode(await (await spreadsheetCsv(h.db, plan.slug)).arrayBuffer());
		const save = async (text: string) => {
			const preview = await previewSpreadsheet(h.db, coordinator, plan.slug, file(text));
			expect(preview.problems).toEqual([]);
			const saved = await applySpreadsheet(h.db, coordinator, plan.slug, {
				sheet: preview.sheet!,
				version: preview.version
			});
			return { preview, saved };
		};

		// The first output's 2024 actual, 28 → 29.
		const edit = await save(edited(await csv(), '29', '28').text);
		expect(edit.saved).toMatchObject({ results: 5, kept: 5, added: 0, removed: 0, unlinkedActivities: 0 });
		expect(await idsAt()).toEqual([first, second, third]);
		expect(await links()).toEqual([second, third]);

		// 1.2's rows left out: 1.2 is removed (not 1.3, which becomes the new 1.2 with its id and link).
		const lines = (await csv()).split('\r\n');
		const without = lines.filter((l) => !/^"?1\.2"?,/.test(l));
		expect(without.length).toBeLessThan(lines.length);
		const removal = await save(without.join('\r\n'));
		expect(removal.preview.changes).toMatchObject([{ change: 'removed', what: 'result', result: '1.2' }]);
		expect(removal.saved).toMatchObject({ results: 4, kept: 4, removed: 1, unlinkedActivities: 1 });
		const after = (await frameworkOf(h.db, plan.id)).results[0]!.children;
		expect(after.map((r) => [r.id, r.title.en])).toEqual([
			[first, 'Open meetings on the budget'],
			[third, 'Third output']
		]);
		expect(await links()).toEqual([null, third]);
	});

	it('lets only the partnership’s coordinators and the programme’s editors import, and refuses other files', async () => {
		const text = await csvText();
		await expect(previewSpreadsheet(h.db, people.author, ours.slug, file(text))).rejects.toThrow(
			ForbiddenError
		);
		await expect(previewSpreadsheet(h.db, people.reader, ours.slug, file(text))).rejects.toThrow(
			ForbiddenError
		);
		const pdf = await previewSpreadsheet(
			h.db,
			coordinator,
			ours.slug,
			new File([new Uint8Array([0, 1, 2, 0xff])], 'x.csv')
		).catch((e: unknown) => e);
		expect((pdf as ValidationError).problems).toEqual([{ field: 'spreadsheet', code: 'sheetType' }]);
	});
});
