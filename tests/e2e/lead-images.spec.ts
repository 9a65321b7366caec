import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, launch, open, openAs } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('the demo shows its pictures: on the cards, at the top of an article and of a partnership', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto('/inspiration');
	const cards = page.locator('.card-image');
	expect(await cards.count()).toBeGreaterThan(0);
	// The card's title says what it is; its picture is decoration there, in responsive sizes.
	expect(await cards.first().getAttribute('alt')).toBe('');
	expect(await cards.first().getAttribute('srcset')).toMatch(/\/media\/[0-9a-f]{32}\/\d+\.webp \d+w/);
	await page.goto('/inspiration/tidsresemetodiken');
	expect(await page.locator('.article .lead-image').getAttribute('alt')).toBe(
		'Illustration: en urtavla framför en rad hus och en grupp människor, i rött och orange.'
	);
	await page.goto('/en/partnerships/horby-peja');
	expect(await page.locator('.lead-image').getAttribute('alt')).toBe(
		'Illustration: two groups of people in blue circles, joined by a dashed arc with a speech bubble above it.'
	);
	await context.close();
});

test('an editor chooses an article’s picture among the library’s, shown small, without JavaScript', async () => {
	const { page, context } = await openAs(browser, 'publisher', { javaScriptEnabled: false });
	await page.goto('/admin/articles?q=ale-soker-nya-vagar-till-invanarna');
	await page.getByRole('link', { name: 'Ale söker nya vägar till invånarna' }).click();
	await page.waitForURL(/\/admin\/articles\/\d+$/);
	const picker = page.getByRole('group', { name: 'Huvudbild' });
	expect(await picker.locator('img').count()).toBeGreaterThanOrEqual(12);
	expect(await axeViolations(page)).toEqual([]);
	// The picture is chosen by its description (the radio button's name).
	const choice = picker.getByRole('radio', { name: /två grupper av människor i blå cirklar/ });
	await choice.check();
	await page.getByRole('button', { name: 'Spara', exact: true }).click();
	await page.waitForLoadState();
	expect(
		await page.getByRole('group', { name: 'Huvudbild' }).getByRole('radio', { checked: true }).count()
	).toBe(1);
	expect(
		await page
			.getByRole('group', { name: 'Huvudbild' })
			.getByRole('radio', { name: /två grupper av människor i blå cirklar/ })
			.isChecked()
	).toBe(true);
	await page.goto('/inspiration/ale-soker-nya-vagar-till-invanarna');
	expect(await page.locator('.article .lead-image').getAttribute('alt')).toMatch(
		/^Illustration: två grupper av människor i blå cirklar/
	);
	await context.close();
});
