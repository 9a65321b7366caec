import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { readSheet } from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { axeViolations, launch, openAs } from './browser.ts';
import { people } from './people.ts';

// The spreadsheet round trip as a coordinator does it: download the XLSX, change one actual value
// in it (with the library, as Excel would), upload, see exactly that change, save, see the value on
// the partnership's results page; a bad value is named by its row and column and nothing is saved.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const slug = 'ale-ghanzi';

test('an editor downloads the results, changes one value, previews exactly it and saves it, without JavaScript', async () => {
	const { page, context } = await openAs(browser, 'registryEditor', { javaScriptEnabled: false });
	await page.goto(`/partnerships/${slug}/results/import`);
	expect(await axeViolations(page)).toEqual([]);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Excel (XLSX)' }).click()
	]);
	const rows = await readSheet(await readFile((await download.path())!), { parseNumber: (s: string) => s });
	const head = rows[0]!.map(String);
	// A figure of 2025 (the demo's reports for 2023 and 2024 are approved: those years are locked), of
	// output 1.1.1: results.spec.ts reads the impact's and outcome 1.2's figures, maybe meanwhile.
	const at = rows.findIndex(
		(r) =>
			String(r[head.indexOf('result')]) === '1.1.1' &&
			r[head.indexOf('kind')] === 'actual' &&
			String(r[head.indexOf('period_end')]).includes('2025') &&
			/^\d/.test(String(r[head.indexOf('value')]))
	);
	expect(at).toBeGreaterThan(0);
	const was = String(rows[at]![head.indexOf('value')]);
	const now = String(Number(was) + 7);
	const write = async (value: string) => {
		const edited = rows.map((r, i) => r.map((c, j) => (i === at && j === head.indexOf('value') ? value : c)));
		const file = path.join(tmpdir(), `results-${Date.now()}.xlsx`);
		await writeFile(
			file,
			await writeXlsxFile(edited.map((r) => r.map((c) => (c === null ? null : String(c))))).toBuffer()
		);
		return file;
	};

	// A bad value: its row and column, and nothing to save.
	await page.setInputFiles('#spreadsheet', await write('about fifty'));
	await page.getByRole('button', { name: 'Visa ändringarna' }).click();
	const problems = await page.locator('.problems').textContent();
	expect(problems).toContain(`Rad ${at + 1}, kolumn`);
	expect(problems).toContain('(value)');
	expect(await page.getByRole('button', { name: 'Spara ändringarna' }).count()).toBe(0);

	// The real change: exactly one row in the preview, then saved.
	await page.setInputFiles('#spreadsheet', await write(now));
	await page.getByRole('button', { name: 'Visa ändringarna' }).click();
	const changes = page.locator('table tbody tr');
	expect(await changes.count()).toBe(1);
	const change = await changes.first().textContent();
	expect(change).toContain(was);
	expect(change).toContain(now);
	expect(await axeViolations(page)).toEqual([]);
	await page.getByRole('button', { name: 'Spara ändringarna' }).click();
	await page.waitForURL(new RegExp(`/partnerships/${slug}/results\\?imported=\\d+&indicators=\\d+$`));
	expect(await page.getByRole('status').first().textContent()).toMatch(
		/^Ändringarna är sparade: resultatramverket har nu \d+ resultat och \d+ indikatorer\.$/
	);
	expect(await page.locator('main').textContent()).toContain(now);
	await context.close();
});

test('the import page is in English too, axe clean', async () => {
	const { page, context } = await openAs(browser, 'registryEditor', { javaScriptEnabled: false });
	await page.goto(`/en/partnerships/${slug}/results/import`);
	expect(await page.locator('h1').textContent()).toBe('Import results from a spreadsheet or an IATI file');
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});
