import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/databases.ts';
import { anActor, everyRole, type TestActor } from '../../test/actors.ts';
import { aPartnership, type TestPartnership } from '../../test/factories/partnerships.ts';
import { aFramework } from '../../test/factories/results.ts';
import type { DatabaseHandle } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import type { Role } from '#lib/roles.ts';
import { frameworkValues } from '../input.ts';
import { frameworkOf } from '../queries.ts';
import { applyUpload, previewUpload } from '../spreadsheet/upload.ts';
import { activityIdentifier, partnershipIatiXml } from './export.ts';

// The import page's IATI path on both databases: the partnership's own file previews with nothing
// to change; the standard's example is refused element by element as published and, with its
// placeholders made real, previews its 13 results and saves them whole on confirmation; a file
// that is not XML, not IATI or not valid against the schema is refused with a message, nothing saved.

const example = readFileSync(
	path.resolve(import.meta.dirname, '../../../../../data/iati/example-results.xml'),
	'utf8'
);
/** The example with its placeholders made real: measure "NDP" → 1 (unit), "N=35;P=55" → 35. */
const fixedExample = example
	.replaceAll('measure="NDP"', 'measure="1"')
	.replace(/value="N=(\d+);P=\d+"/g, 'value="$1"');

const file = (text: string, name = 'activity.xml') => new File([text], name);

/** The line of the element found by going to the n-th match of each pattern in turn ([pattern, n]). */
const lineOf = (text: string, ...steps: [RegExp, number][]) => {
	let at = -1;
	for (const [pattern, n] of steps) {
		for (let i = 0; i < n; i++) at += 1 + text.slice(at + 1).search(pattern);
	}
	return text.slice(0, at).split('\n').length;
};
const fieldProblems = async (p: Promise<unknown>) => {
	const e = await p.catch((e: unknown) => e);
	expect(e).toBeInstanceOf(ValidationError);
	return (e as ValidationError).problems.map((p) => [p.field, p.code]);
};

describe.each(testDatabases)('an IATI file on the import page, on $name', (database) => {
	let h: DatabaseHandle;
	let people: Record<Role, TestActor>;
	let coordinator: TestActor;
	let ours: TestPartnership;
	let empty: TestPartnership;

	beforeAll(async () => {
		h = await database.open();
		people = await everyRole(h.db);
		coordinator = await anActor(h.db, 'reader');
		ours = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
		empty = await aPartnership(h.db, { coordinators: [coordinator.id], status: 'active' });
		await aFramework(h.db, ours.id);
	});
	afterAll(async () => {
		await h?.close();
	});

	const stored = async (id: number) => frameworkValues(await frameworkOf(h.db, id));

	it('previews the partnership’s own export with nothing to change, and nothing to save', async () => {
		const xml = await partnershipIatiXml(h.db, ours.slug);
		const preview = await previewUpload(h.db, coordinator, ours.slug, file(xml));
		expect(preview).toMatchObject({
			source: 'iati',
			problems: [],
			leftOut: [],
			changes: [],
			activity: 1,
			sheet: null,
			activities: [{ identifier: activityIdentifier(ours.slug) }]
		});
	});

	it('refuses the standard’s example as published, naming each element, and saves nothing', async () => {
		const preview = await previewUpload(h.db, coordinator, empty.slug, file(example));
		expect(preview.sheet).toBeNull();
		expect(preview.changes).toEqual([]);
		// Listed as they come reading the file.
		const lines = preview.problems.map((p) => p.line);
		expect(lines.every((l) => l !== null)).toBe(true);
		expect(lines).toEqual(lines.toSorted((a, b) => a! - b!));
		// Each with the line of its element in the file.
		expect(preview.problems).toContainEqual(
			expect.objectContaining({
				element: 'result[3]/indicator[1]/@measure',
				code: 'unknownMeasure',
				line: lineOf(example, [/<result[\s>]/, 3], [/<indicator[\s>]/, 1])
			})
		);
		expect(preview.problems).toContainEqual(
			expect.objectContaining({
				element: 'result[8]/indicator[1]/period[1]/target[1]',
				code: 'notNumeric',
				line: lineOf(example, [/<result[\s>]/, 8], [/<target[\s>]/, 1])
			})
		);
		expect((await stored(empty.id)).results).toEqual([]);
	});

	it('previews the example’s 13 results, saves them only on confirmation, and then has nothing to change', async () => {
		const preview = await previewUpload(h.db, coordinator, empty.slug, file(fixedExample));
		expect(preview.problems).toEqual([]);
		const results = preview.changes.filter((c) => c.what === 'result');
		expect(results).toHaveLength(13);
		expect(results.every((c) => c.change === 'added')).toBe(true);
		expect(results[2]).toMatchObject({
			result: '3',
			element: 'result[3]',
			title: { en: 'Supportive Environment:Health Systems Strengthening' }
		});
		// What the framework keeps nothing of is listed where it is.
		expect(preview.leftOut).toContainEqual(
			expect.objectContaining({
				element: 'result[13]/indicator[1]/period[1]/target[1]',
				code: 'notKept',
				params: { element: 'location' }
			})
		);
		expect((await stored(empty.id)).results).toEqual([]);

		await applyUpload(h.db, coordinator, empty.slug, {
			sheet: preview.sheet!,
			version: preview.version,
			activity: preview.activity!
		});
		const saved = await stored(empty.id);
		expect(saved.results).toHaveLength(13);
		expect(saved.results[2]!.indicators[0]!.periods.map((p) => p.actuals[0]!.value)).toEqual(['41', '43']);

		const again = await previewUpload(h.db, coordinator, empty.slug, file(fixedExample));
		expect(again).toMatchObject({ problems: [], changes: [], sheet: null });
		const exported = await previewUpload(
			h.db,
			coordinator,
			empty.slug,
			file(await partnershipIatiXml(h.db, empty.slug))
		);
		expect(exported).toMatchObject({ problems: [], changes: [], sheet: null });
	});

	it('refuses a stale preview: the framework changed since', async () => {
		const xml = fixedExample.replace('value="41"', 'value="42"');
		const preview = await previewUpload(h.db, coordinator, empty.slug, file(xml));
		expect(preview.changes).toMatchObject([{ change: 'changed', before: '41', after: '42' }]);
		const stale = { sheet: preview.sheet!, version: '0'.repeat(32), activity: 1 };
		expect(await fieldProblems(applyUpload(h.db, coordinator, empty.slug, stale))).toEqual([
			['spreadsheet', 'sheetChanged']
		]);
		expect((await stored(empty.id)).results[2]!.indicators[0]!.periods[0]!.actuals[0]!.value).toBe('41');
	});

	it('says at the file what is wrong with a file that is no IATI activity file', async () => {
		const preview = (text: string) => previewUpload(h.db, coordinator, empty.slug, file(text));
		expect(await fieldProblems(preview('<iati-activities>\n<iati-activity>\n</oops>'))).toEqual([
			['spreadsheet', 'notXml']
		]);
		expect(await fieldProblems(preview('<organisations/>'))).toEqual([['spreadsheet', 'notIati']]);
		expect(await fieldProblems(preview('<!DOCTYPE x [<!ENTITY a "a">]><iati-activities/>'))).toEqual([
			['spreadsheet', 'doctype']
		]);
		const latin1 = new Uint8Array([...new TextEncoder().encode('<iati-activities>'), 0xe5]);
		expect(
			await fieldProblems(previewUpload(h.db, coordinator, empty.slug, new File([latin1], 'a.xml')))
		).toEqual([['spreadsheet', 'notUtf8']]);
	});

	it('says why a file breaks the schema, the first few problems with their lines and elements', async () => {
		const broken = fixedExample
			.replace(
				'<result type="output" aggregation-status="false">',
				'<result type="output" aggregation-status="maybe">'
			)
			.replace('<period-end iso-date="2009-12-31" />', '');
		const preview = await previewUpload(h.db, coordinator, empty.slug, file(broken));
		expect(preview.changes).toEqual([]);
		expect(preview.sheet).toBeNull();
		expect(preview.problems).toEqual([
			{
				row: null,
				column: null,
				letter: null,
				element: 'iati-activity/result[1]',
				line: 19,
				code: 'xsdAttributeValue',
				params: { element: 'result', attribute: 'aggregation-status', value: 'maybe', type: 'boolean' }
			},
			expect.objectContaining({
				element: 'iati-activity/result[3]/indicator[1]/period[1]/target',
				line: 71,
				code: 'xsdUnexpected',
				params: { element: 'target', expected: 'period-end' }
			})
		]);
	});

	it('takes the activity with the partnership’s identifier from a file of several, or the one chosen', async () => {
		const own = activityIdentifier(empty.slug);
		const activity = (id: string, title: string) =>
			fixedExample
				.replace(/^[\s\S]*?<iati-activity>/, '<iati-activity>')
				.replace(/<\/iati-activities>\s*$/, '')
				.replace('<iati-identifier></iati-identifier>', `<iati-identifier>${id}</iati-identifier>`)
				.replace('Treatment: timely detection', title);
		const two = (a: string, b: string) => `<iati-activities version="2.03">${a}${b}</iati-activities>`;
		const xml = two(activity('XM-OTHER-1', 'Other'), activity(own, 'Ours'));
		const byIdentifier = await previewUpload(h.db, coordinator, empty.slug, file(xml));
		expect(byIdentifier).toMatchObject({
			activity: 2,
			activities: [
				{ identifier: 'XM-OTHER-1', results: 13 },
				{ identifier: own, results: 13 }
			]
		});
		// Its first result's title differs from what is stored: that change, at its element.
		expect(byIdentifier.changes).toMatchObject([
			{
				change: 'changed',
				what: 'result',
				element: 'result[1]',
				after: 'Ours and quality treatment of cases'
			}
		]);
		expect(byIdentifier.sheet).not.toBeNull();

		const chosen = await previewUpload(h.db, coordinator, empty.slug, byIdentifier.sheet!, 1);
		expect(chosen.activity).toBe(1);
		expect(chosen.changes[0]).toMatchObject({
			after: 'Other and quality treatment of cases'
		});

		const neither = two(activity('XM-A', 'A'), activity('XM-B', 'B'));
		const choose = await previewUpload(h.db, coordinator, empty.slug, file(neither));
		expect(choose).toMatchObject({ activity: null, changes: [], problems: [] });
		expect(choose.sheet).not.toBeNull();
		expect(await fieldProblems(previewUpload(h.db, coordinator, empty.slug, choose.sheet!, 3))).toEqual([
			['activity', 'unknownActivity']
		]);
		// Saving without a chosen activity saves nothing.
		expect(
			await fieldProblems(
				applyUpload(h.db, coordinator, empty.slug, { sheet: choose.sheet!, version: choose.version })
			)
		).toEqual([['spreadsheet', 'sheetHasProblems']]);
	});

	it('refuses a person who may not, before reading the file', async () => {
		const xml = await partnershipIatiXml(h.db, ours.slug);
		for (const who of [people.reader, people.author]) {
			await expect(previewUpload(h.db, who, ours.slug, file(xml))).rejects.toThrow(ForbiddenError);
		}
		const preview = await previewUpload(h.db, people.editor, ours.slug, file(xml));
		await expect(
			applyUpload(h.db, people.reader, ours.slug, {
				sheet: Buffer.from(xml).toString('base64'),
				version: preview.version
			})
		).rejects.toThrow(ForbiddenError);
	});
});
