import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open } from './browser.ts';

// The programme's dashboard /results with the demo: each chart says what its table says, the
// filters are links that work without JavaScript, every figure comes as CSV, in both languages.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** The values written on a chart's bars, and the figures of its table (last column), as numbers. */
async function chartAndTable(page: Page, chart: string, table: string) {
	const digits = (s: string) => Number(s.replace(/[^\d]/g, ''));
	const bars = await page
		.locator(`#${chart}-title`)
		.locator('xpath=..')
		.locator('text.value')
		.allTextContents();
	const cells = await page.locator(`#${table} tbody tr td:last-child`).allTextContents();
	return { bars: bars.map(digits), cells: cells.map(digits) };
}

const partnershipsInFilter = async (page: Page) =>
	Number((await page.locator('#partnerships-table td').first().textContent())!.replace(/[^\d]/g, ''));

test('the dashboard in Swedish: charts that match their tables, filters as links without JavaScript', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto('/results');
	expect(await page.locator('h1').textContent()).toMatch(/^Resultat \d{4}$/);
	expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(2);

	// Reports on time: one bar per light, each as its table says, adding up to the partnerships.
	const lights = await chartAndTable(page, 'lights-chart', 'lights-table');
	expect(lights.bars).toHaveLength(4);
	expect(lights.bars).toEqual(lights.cells);
	const total = await partnershipsInFilter(page);
	expect(total).toBeGreaterThan(0);
	expect(lights.cells.reduce((a, b) => a + b, 0)).toBe(total);

	// The demo frameworks have figures for 2025: the progress of their indicators.
	await page.getByRole('link', { name: '2025', exact: true }).click();
	await page.waitForURL(/year=2025/);
	const progress = await chartAndTable(page, 'progress-chart', 'progress-table');
	expect(progress.bars).toHaveLength(6);
	expect(progress.bars).toEqual(progress.cells);
	expect(progress.cells.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
	// Without approved reports the page says so instead of drawing empty bars.
	const approved = Number(
		(await page.locator('#partnerships-table tr').nth(2).locator('td').textContent())!.replace(/[^\d]/g, '')
	);
	if (approved === 0) expect(await page.locator('#scores + p + .notice').count()).toBe(1);
	else expect(await page.locator('#scores-table').count()).toBe(1);

	// A country: fewer partnerships, the link marked as the current one, the year kept.
	const country = page
		.getByRole('navigation', { name: 'Urval' })
		.locator('ul[aria-labelledby="filter-country"] li a')
		.nth(1);
	const name = (await country.textContent())!;
	await country.click();
	await page.waitForURL(/country=[A-Z]{2}/);
	expect(page.url()).toContain('year=2025');
	expect(await page.getByRole('link', { name, exact: true }).getAttribute('aria-current')).toBe('true');
	expect(await partnershipsInFilter(page)).toBeLessThan(total);
	const narrowed = await chartAndTable(page, 'lights-chart', 'lights-table');
	expect(narrowed.bars).toEqual(narrowed.cells);

	// A principle: the mean progress shows that principle only.
	await page.getByRole('link', { name: 'Alla', exact: true }).nth(1).click();
	await page.locator('ul[aria-labelledby="filter-principle"] li a').nth(1).click();
	await page.waitForURL(/principle=/);
	expect(await page.locator('#mean-table tbody tr').count()).toBeLessThanOrEqual(1);

	expect(await axeViolations(page)).toEqual([]);

	// A filter that is not one is a message, not an error page.
	const bad = await fetch(`${baseUrl()}/results?year=twenty&principle=nope`);
	expect(bad.status).toBe(400);
	await context.close();
});

test('the dashboard in English, and at 320 px without sideways scrolling', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false, width: 320 });
	await page.goto('/en/results?year=2025');
	expect(await page.locator('h1').textContent()).toBe('Results 2025');
	expect(await page.locator('#lights-table caption').textContent()).toBe(
		'Number of partnerships per reporting status today'
	);
	const progress = await chartAndTable(page, 'progress-chart', 'progress-table');
	expect(progress.bars).toEqual(progress.cells);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow).toBeLessThanOrEqual(0);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('every figure comes as CSV (UTF-8 with BOM) in the page language, for the same filters', async () => {
	const csv = await fetch(`${baseUrl()}/results/figures.csv?year=2025`);
	expect(csv.status).toBe(200);
	expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
	const bytes = new Uint8Array(await csv.arrayBuffer());
	expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = new TextDecoder()
		.decode(bytes)
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n');
	expect(lines[0]).toBe('Del,År,Land,Globalt mål,Princip,Kategori,Värde');
	expect(lines.some((l) => l.startsWith('Rapportläge,2025,,,,I tid,'))).toBe(true);

	// The page's figures are the CSV's: the partnerships in the selection.
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto('/en/results?year=2025');
	const shown = await partnershipsInFilter(page);
	await context.close();
	const en = new TextDecoder().decode(
		await (await fetch(`${baseUrl()}/en/results/figures.csv?year=2025`)).arrayBuffer()
	);
	expect(en).toContain('Section,Year,Country,Global Goal,Principle,Category,Value');
	expect(en).toContain(`Partnerships,2025,,,,Partnerships in the selection,${shown}`);
});
