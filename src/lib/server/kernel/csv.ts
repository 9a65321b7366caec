import { stringify } from 'csv-stringify/sync';
import { streamedBody, streamedResponse } from './streamed.ts';

/** How every CSV of the platform is written (see csvResponse). */
const options = {
	record_delimiter: 'windows' as const,
	escape_formulas: true,
	// A line break of either kind stays inside its cell: unquoted, a spreadsheet would start a
	// new row there, and a formula after it would escape the prefix.
	quoted_match: /[\r\n]/
};

/** The same file a batch of records at a time, for a download written as it is read (streamed.ts). */
export function csvStreamResponse(
	fileName: string,
	header: string[],
	batches: AsyncIterable<(string | number | null)[][]>
): Response {
	return streamedResponse(streamedBody(csvPieces(header, batches)), 'text/csv; charset=utf-8', fileName);
}

/** The file's text, a piece per batch. */
export async function* csvPieces(
	header: string[],
	batches: AsyncIterable<(string | number | null)[][]>
): AsyncGenerator<string> {
	yield '\uFEFF' + stringify([header], options);
	for await (const records of batches) if (records.length) yield stringify(records, options);
}

/**
 * A CSV file as Excel opens it correctly: UTF-8 with a byte-order mark (so "Hörby" stays Hörby),
 * a header row, CRLF line ends, every field quoted where needed (a text with a line break always).
 * Every CSV answer is written here, so that none can carry a formula: a text cell that starts with
 * =, +, -, @, a tab or a carriage return (or their full-width forms, which some spreadsheets read
 * alike) is prefixed with ' (OWASP's rule), and Excel shows it as text. Numbers are passed as
 * numbers and stay numbers: a coordinate of -33.93 is not text.
 */
export function csvResponse(
	fileName: string,
	header: string[],
	records: (string | number | null)[][]
): Response {
	const body = '\uFEFF' + stringify([header, ...records], options);
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${fileName}"`
		}
	});
}
