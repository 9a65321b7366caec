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

test('the library says which pages show a picture, and deleting one they use asks first', async () => {
	const { page, context } = await openAs(browser, 'publisher', { javaScriptEnabled: false });
	// The demo's pictures are the oldest files: they are on a later page once other tests upload.
	const item = page.locator('li.media-item', {
		has: page.getByRole('heading', { level: 3, name: 'horby-peja.webp', exact: true })
	});
	for (let n = 1; n <= 10; n++) {
		await page.goto(`/admin/media?kind=image&page=${n}`);
		if ((await item.count()) > 0) break;
	}
	const uses = item.getByRole('list', { name: 'Används på' });
	expect(
		await uses.getByRole('link', { name: 'Hörby kommun – Peja kommun (Pejë)' }).getAttribute('href')
	).toBe('/partnerships/horby-peja/edit');
	expect(await uses.textContent()).toContain('Huvudbild för partnerskapet');
	// Without ticking that the pages go without it: refused, said at the box and at the top.
	await item.getByRole('button', { name: 'Ta bort horby-peja.webp' }).click();
	await page.waitForLoadState();
	const message =
		'Sidor använder filen (de står vid filen). Kryssa i rutan om den ska tas bort ändå, eller byt först ut den på sidorna.';
	expect(await item.locator('.form-error').textContent()).toBe(`Ta bort ändå: ${message}`);
	expect(await page.locator('.error-summary').textContent()).toContain(message);
	expect(await item.getByRole('checkbox', { name: /^Ta bort den ändå/ }).isChecked()).toBe(false);
	expect(await axeViolations(page)).toEqual([]);
	await page.goto('/en/partnerships/horby-peja');
	expect(await page.locator('.lead-image').count()).toBe(1);
	await context.close();
});
