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
	await page.getByLabel('Sök i inspirationen').fill('medborgardialogen');
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
	expect(await page.getByLabel('Sök i inspirationen').inputValue()).toBe('medborgardialogen');
	await context.close();
});

test('a typo still finds similar texts, and nonsense gets a helpful empty answer', async () => {
	const { page, context } = await open(browser);
	await page.goto('/search?q=medborgardialg');
	expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain(
		'Inga exakta träffar'
	);
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
