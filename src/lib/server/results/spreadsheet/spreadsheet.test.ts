import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import writeXlsxFile from 'write-excel-file/node';
import { frameworkShape, type FrameworkValues } from '../input.ts';
import { aFrameworkValues } from '../iati/arbitraries.ts';
import { changesOf, lockedProblems, shownChanges } from './diff.ts';
import { csvOf, tableOf, xlsxOf } from './files.ts';
import { sheetOf, type Cell } from './layout.ts';
import { readSheet } from './read.ts';

// The spreadsheet without a database: a framework → CSV or XLSX → read back → the same framework,
// and no change in the preview; a bad cell is named by its row and column.

const csvBytes = async (rows: Cell[][]) => new Uint8Array(await csvOf('f.csv', rows).arrayBuffer());
const readBack = async (bytes: Uint8Array) => {
	const read = await tableOf(bytes);
	if (!('table' in read)) throw new Error(read.code);
	return readSheet(read.table);
};

const one = frameworkShape.parse({
	results: [
		{
			level: 'impact',
			principle: 'participation',
			title: { sv: 'Unga påverkar', en: 'Young people have a say' },
			description: {},
			aggregationStatus: null,
			weight: null,
			goals: [16],
			targets: ['16.7'],
			indicators: [
				{
					measure: 'unit',
					ascending: true,
					aggregationStatus: null,
					title: { sv: 'Deltagare', en: 'Participants' },
					description: {},
					dataSource: {},
					weight: null,
					baselines: [{ year: 2023, isoDate: null, value: '40', comment: {}, dimensions: [] }],
					periods: [
						{
							start: '2024-01-01',
							end: '2024-12-31',
							targets: [{ value: '50', comment: {}, dimensions: [] }],
							actuals: [
								{ value: '20', comment: {}, dimensions: [{ name: 'sex', value: 'female' }] },
								{
									value: '25',
									comment: { en: 'More men came' },
									dimensions: [{ name: 'sex', value: 'male' }]
								}
							]
						}
					]
				}
			],
			children: []
		}
	]
});

describe('the results spreadsheet', () => {
	it('reads any framework back from its CSV file unchanged, with nothing to change in the preview', async () => {
		await fc.assert(
			fc.asyncProperty(aFrameworkValues, async (values) => {
				const reading = await readBack(await csvBytes(sheetOf(values)));
				expect(reading.problems).toEqual([]);
				expect(reading.values).toEqual(values);
				expect(changesOf(values, reading.values!, { rows: reading.rows })).toEqual([]);
			}),
			{ numRuns: 60 }
		);
	});

	it('reads any framework back from its XLSX file unchanged, with nothing to change in the preview', async () => {
		await fc.assert(
			fc.asyncProperty(aFrameworkValues, async (values) => {
				const reading = await readBack(await xlsxOf(sheetOf(values)));
				expect(reading.problems).toEqual([]);
				expect(reading.values).toEqual(values);
				expect(changesOf(values, reading.values!, { rows: reading.rows })).toEqual([]);
			}),
			{ numRuns: 30 }
		);
	});

	it('writes one row per figure, numbers as numbers, and a value written as "2.50" as text', async () => {
		const rows = sheetOf(one);
		const [head, ...body] = rows;
		const at = (r: Cell[], c: string) => r[head!.indexOf(c)];
		expect(body.map((r) => [at(r, 'result'), at(r, 'indicator'), at(r, 'kind'), at(r, 'value')])).toEqual([
			['1', 1, 'baseline', 40],
			['1', 1, 'target', 50],
			['1', 1, 'actual', 20],
			['1', 1, 'actual', 25]
		]);
		expect(at(body[3]!, 'breakdown_1')).toBe('sex');
		expect(at(body[3]!, 'category_1')).toBe('male');
		const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csvBytes(rows));
		expect(csv.startsWith('\uFEFFresult,level,result_title_sv')).toBe(true);
	});

	it('shows exactly the value an editor changed, at its row, and the branch a file leaves out once', async () => {
		const edited = structuredClone(one);
		edited.results[0]!.indicators[0]!.periods[0]!.actuals[1]!.value = '30';
		const reading = await readBack(await csvBytes(sheetOf(edited)));
		const changes = changesOf(one, reading.values!, { rows: reading.rows });
		expect(changes).toMatchObject([
			{
				change: 'changed',
				what: 'figure',
				kind: 'actual',
				column: 'value',
				before: '25',
				after: '30',
				row: 5
			}
		]);
		expect(changes[0]!.dimensions).toEqual([{ name: 'sex', value: 'male' }]);

		const fewer = structuredClone(one);
		fewer.results[0]!.indicators[0]!.periods = [];
		const removed = changesOf(one, fewer, {});
		expect(removed).toHaveLength(4);
		expect(shownChanges(removed)).toMatchObject([{ change: 'removed', what: 'period', start: '2024-01-01' }]);
	});

	it('refuses a change to a figure of a locked year, row by row', async () => {
		const edited = structuredClone(one);
		edited.results[0]!.indicators[0]!.periods[0]!.actuals[0]!.value = '21';
		edited.results[0]!.indicators[0]!.baselines[0]!.value = '41';
		const reading = await readBack(await csvBytes(sheetOf(edited)));
		const changes = changesOf(one, reading.values!, { rows: reading.rows });
		expect(lockedProblems(changes, [2023])).toEqual([]);
		expect(lockedProblems(changes, [2024])).toEqual([
			{
				row: 4,
				column: 'value',
				letter: null,
				element: null,
				line: null,
				code: 'lockedYear',
				params: { year: '2024', result: '1', indicator: '1' }
			}
		]);
	});

	it('names each bad cell by its row and column in the file', async () => {
		const [head, ...body] = sheetOf(one);
		const col = (c: string) => head!.indexOf(c);
		const set = (row: number, c: string, v: Cell) => (body[row - 2]![col(c)] = v);
		set(2, 'kind', 'estimate');
		set(3, 'value', 'about fifty');
		set(4, 'period_end', '2024-13-01');
		set(5, 'result_title_en', 'Another title');
		const reading = await readBack(await csvBytes([head!, ...body]));
		expect(reading.values).toBeNull();
		expect(reading.problems.map((p) => [p.row, p.column, p.letter, p.code])).toEqual([
			[2, 'kind', 'H', 'unknownKind'],
			[4, 'period_end', 'L', 'notADate'],
			[5, 'result_title_en', 'D', 'differs']
		]);
		set(2, 'kind', 'baseline');
		set(4, 'period_end', '2024-12-31');
		set(5, 'result_title_en', 'Young people have a say');
		const again = await readBack(await csvBytes([head!, ...body]));
		expect(again.problems).toEqual([{ row: 3, column: 'value', letter: 'M', code: 'notNumeric' }]);
	});

	it('reads what a spreadsheet makes of the file: semicolons, decimal commas, dates and numbers as cells', async () => {
		const [head, ...body] = sheetOf(one);
		const col = (c: string) => head!.indexOf(c);
		const lines = [head!, ...body].map((r) => r.map((c) => (c === null ? '' : String(c))).join(';'));
		lines[4] = lines[4]!.replace(';25;', ';25,5;');
		const semi = await readBack(new TextEncoder().encode(lines.join('\r\n')));
		expect(semi.problems).toEqual([]);
		expect(semi.values!.results[0]!.indicators[0]!.periods[0]!.actuals[1]!.value).toBe('25.5');

		const cells: (string | number | Date | null)[][] = [head!, ...body].map((r) => [...r]);
		cells[2]![col('period_start')] = new Date('2024-01-01T00:00:00Z');
		cells[2]![col('result')] = 1;
		const xlsx = await writeXlsxFile(
			cells.map((r) => r.map((c) => (c instanceof Date ? { value: c, type: Date, format: 'yyyy-mm-dd' } : c)))
		).toBuffer();
		const read = await readBack(xlsx);
		expect(read.problems).toEqual([]);
		expect(read.values).toEqual(one);
	});

	it('refuses files that are not spreadsheets, by their content', async () => {
		expect(await tableOf(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toEqual({
			code: 'sheetType'
		});
		expect(await tableOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual({
			code: 'sheetUnreadable'
		});
		expect(await tableOf(new Uint8Array(3 * 1024 * 1024))).toEqual({ code: 'sheetTooLarge' });
		const onlyHeader = await readBack(await csvBytes([sheetOf(one)[0]!]));
		expect(onlyHeader.problems.map((p) => p.code)).toEqual(['noRows']);
		const notOurs = await readBack(new TextEncoder().encode('name,amount\nA,1\n'));
		expect(notOurs.problems[0]).toMatchObject({
			row: 1,
			code: 'missingColumn',
			params: { column: 'result' }
		});
	});
});

export type { FrameworkValues };
