import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { anOrganization } from '../test/factories/organizations.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { csvResponse } from '../kernel/csv.ts';
import { readOrganizationListApiQuery } from '../organizations/input.ts';
import { listOrganizations } from '../organizations/queries.ts';
import { organizationCsvHeader, organizationCsvRecord } from '../organizations/views.ts';
import { readPartnershipListApiQuery } from '../partnerships/input.ts';
import { findPartnerships } from '../partnerships/queries.ts';
import { partnershipCsvHeader, partnershipCsvRecord } from '../partnerships/views.ts';

/**
 * The open data's CSV exports, as their endpoints build them (the kernel's writer over each
 * module's rows): what a coordinator or an editor typed can never run in a spreadsheet.
 */

/** The cells of a CSV file as a spreadsheet reads them (RFC 4180: quotes, doubled quotes, CRLF). */
function cells(csv: string): string[][] {
	return parse(csv, { bom: true, relax_column_count: true });
}

/** What a spreadsheet would take as a formula: a cell that starts with one of these. */
const formula = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

describe.each(testDatabases)('the open data CSV exports on $name', (database) => {
	let h: DatabaseHandle;
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(() => h?.close());

	const attack = '=HYPERLINK("https://evil.example/login","Logga in igen")';

	it('neutralise an organization named like a formula, and keep its negative coordinates numbers', async () => {
		const named = await anOrganization(h.db, { name: attack, lat: -24.65, lon: -25.9 });
		const minus = await anOrganization(h.db, { name: '-1+1 District', lat: 10, lon: 20 });
		const { filter, lang, perPage } = readOrganizationListApiQuery(
			new URLSearchParams('format=csv&country=BW')
		);
		const result = await listOrganizations(h.db, lang, filter, perPage);
		const csv = await csvResponse(
			'organizations.csv',
			organizationCsvHeader,
			result.rows.map((o) => organizationCsvRecord('https://example.se', lang, o))
		).text();
		const [header, ...rows] = cells(csv);
		const column = (name: string) => header!.indexOf(name);
		const row = (slug: string) => rows.find((r) => r[column('slug')] === slug)!;
		expect(row(named.slug)[column('name')]).toBe(`'${attack}`);
		expect(row(named.slug)[column('lat')]).toBe('-24.65');
		expect(row(named.slug)[column('lon')]).toBe('-25.9');
		expect(row(minus.slug)[column('name')]).toBe("'-1+1 District");
		for (const r of rows) {
			for (const [i, cell] of r.entries()) {
				if (['lat', 'lon'].includes(header![i]!)) continue;
				expect(cell, `${r[0]} ${header![i]}`).not.toMatch(formula);
			}
		}
	});

	it('neutralise a coordinator’s summary and member names written as formulas', async () => {
		const swedish = await anOrganization(h.db, { country: 'SE', name: '@SUM(1+1)*cmd|"/c calc"!A0' });
		const p = await aPartnership(h.db, { summary: attack, swedish: [swedish.id] });
		const multiLine = await aPartnership(h.db, { summary: `Två rader.\n${attack}` });
		const { filter, lang, perPage } = readPartnershipListApiQuery(new URLSearchParams('format=csv'));
		const result = await findPartnerships(h.db, lang, filter, perPage);
		const csv = await csvResponse(
			'partnerships.csv',
			partnershipCsvHeader,
			result.rows.map((r) => partnershipCsvRecord('https://example.se', lang, r))
		).text();
		const [header, ...rows] = cells(csv);
		const row = rows.find((r) => r[0] === p.slug)!;
		expect(row[header!.indexOf('summary')]).toBe(`'${attack}`);
		expect(row[header!.indexOf('swedish')]).toBe(`'@SUM(1+1)*cmd|"/c calc"!A0`);
		// A summary of two lines is one cell: its second line starts no row of its own.
		expect(rows.find((r) => r[0] === multiLine.slug)![header!.indexOf('summary')]).toBe(
			`Två rader.\n${attack}`
		);
		expect(rows.every((r) => r.length === header!.length)).toBe(true);
		for (const r of rows) for (const cell of r) expect(cell).not.toMatch(formula);
	});
});
