import { stringify } from 'csv-stringify/sync';

/**
 * A CSV file as Excel opens it correctly: UTF-8 with a byte-order mark (so "Hörby" stays Hörby),
 * a header row, CRLF line ends, every field quoted where needed.
 */
export function csvResponse(
	fileName: string,
	header: string[],
	records: (string | number | null)[][]
): Response {
	const body = '\uFEFF' + stringify([header, ...records], { record_delimiter: 'windows' });
	return new Response(body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${fileName}"`
		}
	});
}
