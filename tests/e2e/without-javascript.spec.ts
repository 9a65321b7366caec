import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('with JavaScript disabled the filters, the free-text form and paging all work', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto('/en/inspiration');
	// No script is sent at all.
	expect(await page.locator('script').count()).toBe(0);
	await page
		.locator('#facet-principle + ul')
		.getByRole('link', { name: /Participation/ })
		.click();
	await page.waitForURL(/theme=participation/);
	// The free-text form keeps the chosen theme as a hidden field.
	await page.getByLabel('Free text').fill('dengue');
	await page.getByRole('button', { name: 'Search' }).click();
	await page.waitForURL(/q=dengue/);
	const url = new URL(page.url());
	expect(url.searchParams.get('theme')).toBe('participation');
	expect(await page.locator('.card-title').allTextContents()).toEqual([
		expect.stringMatching(/Citizen dialogue that saves lives/)
	]);
	await page.getByRole('link', { name: /Remove the filter Participation/ }).click();
	await page.waitForURL((u) => !u.searchParams.has('theme') && u.searchParams.get('q') === 'dengue');
	await context.close();
});

test('bad input answers with a clear message per field and keeps what was typed', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	const response = await page.goto('/inspiration?sdg=99&page=abc&q=demokrati');
	expect(response?.status()).toBe(400);
	const problems = await page.locator('.problems li').allTextContents();
	expect(problems).toEqual([
		'Globalt mål: Ange ett globalt mål (1–17) eller ett delmål som 16.7.',
		'Sida: Sidnumret måste vara ett heltal från 1 till 1000.'
	]);
	expect(await page.getByLabel('Sök i inspirationen').inputValue()).toBe('demokrati');
	expect(await page.content()).not.toMatch(/at .*\.(js|ts):\d+/);
	await context.close();
});
