import { describe, expect, it } from 'vitest';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { finishResponse } from './cached-answer.ts';
import { csvPieces } from './csv.ts';
import { streamedBody, streamedResponse } from './streamed.ts';

// A download written as it is read: the client gets the same bytes, compressed as it asked, and
// never the internal marker; the CSV written in batches is the file csvResponse would write.

async function* batches<T>(...items: T[]) {
	for (const item of items) yield item;
}
const rendered = (acceptEncoding: string | null) => ({
	method: 'GET',
	url: new URL('http://localhost/dialogue/x/reports.csv'),
	cacheable: false,
	key: '',
	version: '1',
	acceptEncoding,
	ifNoneMatch: null
});

describe('a streamed download', () => {
	const records = [[[1, '=SUM(A1)', 'rad ett\nrad två']], [], [[2, 'Hörby', null]]] as (
		string | number | null
	)[][][];
	const expected = '\uFEFFid,text,note\r\n1,\'=SUM(A1),"rad ett\nrad två"\r\n2,Hörby,\r\n';

	it('is compressed as the client asks, with the same content, and without the marker', async () => {
		for (const [encoding, decode] of [
			['br', (b: Buffer) => brotliDecompressSync(b)],
			['gzip', (b: Buffer) => gunzipSync(b)],
			[null, (b: Buffer) => b]
		] as const) {
			const response = streamedResponse(
				streamedBody(csvPieces(['id', 'text', 'note'], batches(...records))),
				'text/csv; charset=utf-8',
				'x.csv'
			);
			const answer = await finishResponse(rendered(encoding), response);
			expect(answer.headers.get('x-streamed-download')).toBeNull();
			expect(answer.headers.get('content-encoding')).toBe(encoding);
			expect(answer.headers.get('cache-control')).toBe('no-store');
			expect(decode(Buffer.from(await answer.arrayBuffer())).toString('utf8')).toBe(expected);
		}
	});
});

describe('a streamed download that fails half-way', () => {
	it('ends the compressed stream with the failure instead of hanging', async () => {
		async function* failing() {
			yield 'a,b\r\n';
			throw new Error('the database went away');
		}
		const response = streamedResponse(streamedBody(failing()), 'text/csv; charset=utf-8', 'x.csv');
		const answer = await finishResponse(rendered('br'), response);
		await expect(answer.arrayBuffer()).rejects.toThrow();
	});
});
