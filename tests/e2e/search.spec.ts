import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('searching for an inflected Swedish word finds texts with the base form, highlighted', async () => {
	const { page, context } = await open(browser);
	await page.goto('/search');
	await page.getByLabel('Sök på webbplatsen').fill('medborgardialogen');
	await page.getByRole('button', { name: 'Sök' }).click();
	await page.waitForURL(/\/search\?q=medborgardialogen/);
	expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toMatch(
		/\d+ träffar för ”medborgardialogen”/
	);
	const marks = await page.locator('.snippet mark').allTextContents();
	expect(marks.length).toBeGreaterThan(0);
	// The base form is highlighted too: stemming, not string matching.
	expect(marks.map((m) => m.toLowerCase())).toContain('medborgardialog');
	// The search box keeps what was typed.
	expect(await page.getByLabel('Sök på webbplatsen').inputValue()).toBe('medborgardialogen');
	await context.close();
});

test('a typo still finds similar texts, and nonsense gets a helpful empty answer', async () => {
	const { page, context } = await open(browser);
	await page.goto('/search?q=medborgardialg');
	expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain(
		'Inga exakta träffar'
	);
	// It says which word it looked for instead.
	await page.getByText('Sökte i stället efter ”medborgardialog”.').waitFor();
	expect(await page.locator('.search-hits li').count()).toBeGreaterThan(0);
	expect(await page.locator('.search-hits').textContent()).toMatch(/medborgardialog/i);

	await page.goto('/en/search?q=zzqxqzz');
	expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe(
		'No results for “zzqxqzz”.'
	);
	await context.close();
});

test('English search stems English words', async () => {
	const { page, context } = await open(browser);
	await page.goto('/en/search?q=partnerships');
	const heading = await page.getByRole('heading', { level: 2 }).first().textContent();
	expect(heading).toMatch(/\d+ results? for “partnerships”/);
	expect((await page.locator('.snippet mark').allTextContents()).map((m) => m.toLowerCase())).toContain(
		'partnership'
	);
	await context.close();
});

test('one search finds every kind, grouped with counts: "horby" finds Hörby, its partnership and more', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto('/search?q=horby');
	const kinds = page.getByRole('navigation', { name: 'Visa träffar av typen' });
	const links = await kinds.getByRole('link').allTextContents();
	expect(links[0]).toMatch(/^Alla \(\d+\)$/);
	expect(links).toEqual(expect.arrayContaining([expect.stringMatching(/^Organisationer \(\d+\)$/)]));
	expect(links).toEqual(expect.arrayContaining([expect.stringMatching(/^Partnerskap \(\d+\)$/)]));
	await page.getByRole('link', { name: 'Hörby kommun', exact: true }).first().click();
	await page.waitForURL(/\/organizations\/horby-kommun$/);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hörby kommun');

	// One kind at a time, its link marked as the current one.
	await page.goto('/search?q=horby&kind=partnerships');
	expect(await page.locator('[aria-current="page"]', { hasText: /^Partnerskap/ }).count()).toBe(1);
	expect(await page.locator('#found-organizations').count()).toBe(0);
	await page
		.getByRole('link', { name: /Hörby kommun – / })
		.first()
		.click();
	await page.waitForURL(/\/partnerships\/horby-peja$/);
	await context.close();
});

test('a word of a target offers the target: "korruption" leads to target 16.5, in both languages', async () => {
	const { page, context } = await open(browser);
	await page.goto('/search?q=korruption');
	const target = page.locator('#found-goals ~ ul li', { hasText: 'Delmål 16.5' });
	expect(await target.textContent()).toContain('Minska korruption och mutor');
	await target.getByRole('link', { name: 'Partnerskap om delmål 16.5' }).click();
	await page.waitForURL(/\/partnerships\?sdg=16\.5$/);

	// On the English site the Swedish word finds the target too, and the Swedish inspiration, which
	// the page says is in Swedish.
	await page.goto('/en/search?q=korruption');
	expect(await page.locator('#found-goals ~ ul').textContent()).toContain('Target 16.5');
	await page.goto('/en/search?q=medborgardialogen');
	expect(await page.locator('.notice-inline').textContent()).toBe(
		'No inspiration in English contains the word. The texts below are in Swedish.'
	);
	expect(await page.locator('.search-hits').getAttribute('lang')).toBe('sv');
	const first = page.locator('.search-hits h4 a').first();
	expect(await first.getAttribute('href')).toMatch(/^\/inspiration\//);
	await context.close();
});
