import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('a visitor filters the inspiration by a goal, then by one of its targets', async () => {
	const { page, context } = await open(browser);
	await page.goto('/inspiration');
	const all = await page.locator('.card').count();
	await page.locator('#facet-goal + ul').getByRole('link', { name: /^3\. / }).click();
	await page.waitForURL(/sdg=3$/);
	const byGoal = await page.locator('.card').count();
	expect(byGoal).toBeGreaterThan(0);
	expect(byGoal).toBeLessThan(all);
	// Choosing a goal shows its targets with counts.
	await page.locator('#facet-target + ul').getByRole('link', { name: /^3\.3/ }).click();
	await page.waitForURL(/sdg=3\.3$/);
	expect(await page.locator('.card-title').allTextContents()).toEqual([
		expect.stringMatching(/Medborgardialog som räddar liv/)
	]);
	// The chip removes the filter again.
	await page.getByRole('link', { name: /Ta bort filtret 3\.3/ }).click();
	await page.waitForURL(/\/inspiration$/);
	expect(await page.locator('.card').count()).toBe(all);
	await context.close();
});

test('a goal page shows its colour, its targets and its inspiration; a filter with no hits says so', async () => {
	const { page, context } = await open(browser);
	await page.goto('/en/goals/16');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Peace');
	expect(await page.locator('.target-list li').count()).toBe(12);
	expect(await page.locator('.card').count()).toBeGreaterThan(0);
	const colours = await page.locator('.goal-header').evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(colours).toBe('rgb(0, 104, 157)');

	await page.goto('/en/inspiration?sdg=14');
	expect(await page.getByText('Nothing matches the selected filters.').count()).toBe(1);
	expect(await page.getByRole('link', { name: 'Clear all filters' }).count()).toBeGreaterThan(0);
	await context.close();
});
