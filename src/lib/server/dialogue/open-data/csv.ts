import { csvResponse } from '../../kernel/csv.ts';
import type { Table } from './tables.ts';

/**
 * A table as a CSV answer, or as the bytes of a file in the zip: both written by the kernel's one
 * CSV writer (byte-order mark, CRLF, quoting, no formulas), so a file in the zip is byte for byte
 * what the API answers.
 */
export function tableResponse<R>(fileName: string, table: Table<R>, records: readonly R[]): Response {
	return csvResponse(fileName, table.header, records.map(table.row));
}

export async function tableBytes<R>(
	table: Table<R>,
	records: readonly R[]
): Promise<Uint8Array<ArrayBuffer>> {
	return new Uint8Array(await tableResponse(`${table.name}.csv`, table, records).arrayBuffer());
}
