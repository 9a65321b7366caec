import { parse } from 'csv-parse/sync';
import { readSheet as readXlsx } from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import { csvResponse } from '../../kernel/csv.ts';
import type { Cell } from './layout.ts';
import type { RawCell } from './read.ts';

// The two formats of the one table: CSV through the kernel's writer (UTF-8 with a byte-order
// mark, no formulas) and XLSX with the same columns. Uploads are recognised by their bytes, not
// their name: an XLSX file is a zip, a CSV file is UTF-8 text; anything else is refused.

/** The largest spreadsheet taken: a framework of a thousand figures is about 200 KB. */
export const maxSpreadsheetBytes = 2 * 1024 * 1024;

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function csvOf(fileName: string, rows: Cell[][]): Response {
	const [head = [], ...body] = rows;
	return csvResponse(
		fileName,
		head.map(String),
		body.map((r) => r.map((c) => c))
	);
}

export async function xlsxOf(rows: Cell[][]): Promise<Buffer> {
	const [head = [], ...body] = rows;
	return writeXlsxFile(
		[
			head.map((h) => ({ value: String(h), fontWeight: 'bold' as const })),
			// Text stays text: a date or a code Excel would otherwise turn into something else.
			...body.map((r) =>
				r.map((c) => (c === null ? null : typeof c === 'number' ? c : { value: c, type: String }))
			)
		],
		{
			sheet: 'framework',
			stickyRowsCount: 1,
			columns: head.map((h) => ({ width: String(h).length > 12 ? 24 : 14 }))
		}
	).toBuffer();
}

export type Table = RawCell[][];

/** The rows of an uploaded file, or why it cannot be read. */
export async function tableOf(bytes: Uint8Array): Promise<{ table: Table } | { code: string }> {
	if (bytes.byteLength === 0) return { code: 'sheetEmpty' };
	if (bytes.byteLength > maxSpreadsheetBytes) return { code: 'sheetTooLarge' };
	const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
	if (zip) {
		try {
			// Numbers as written in the file ("2.50" stays so); dates as dates.
			// (Its types describe schema-mapped reading; rows without a schema are plain cells.)
			return {
				table: (await readXlsx(Buffer.from(bytes), { parseNumber: (s: string) => s })) as unknown as Table
			};
		} catch {
			return { code: 'sheetUnreadable' };
		}
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { code: 'sheetType' };
	}
	if (text.includes('\u0000')) return { code: 'sheetType' };
	// A spreadsheet saving CSV in Swedish separates by semicolons: the header line tells which.
	const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
	const delimiter = [';', '\t', ','].find((d) => first.includes(d)) ?? ',';
	try {
		return { table: parse(text, { bom: true, delimiter, relax_column_count: true }) as string[][] };
	} catch {
		return { code: 'sheetUnreadable' };
	}
}
