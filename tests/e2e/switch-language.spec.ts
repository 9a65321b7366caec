import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('the language switch keeps the article, and the page says which language it is in', async () => {
	const { page, context } = await open(browser);
	await page.goto('/inspiration/tidsresemetodiken');
	const svTitle = await page.getByRole('heading', { level: 1 }).textContent();
	expect(await page.locator('html').getAttribute('lang')).toBe('sv');
	expect(await page.locator('link[rel="alternate"][hreflang="en"]').getAttribute('href')).toMatch(
		/\/en\/inspiration\/tidsresemetodiken$/
	);
	expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe(svTitle);

	await page.getByRole('link', { name: 'In English', exact: true }).click();
	await page.waitForURL(/\/en\/inspiration\/tidsresemetodiken$/);
	expect(await page.locator('html').getAttribute('lang')).toBe('en');
	const enTitle = await page.getByRole('heading', { level: 1 }).textContent();
	expect(enTitle).not.toBe(svTitle);
	expect(await page.getByRole('navigation', { name: 'Main menu' }).textContent()).toContain('Global Goals');

	// And back, keeping a filtered listing too.
	await page.goto('/en/inspiration?theme=participation&kind=method');
	await page.getByRole('link', { name: 'På svenska', exact: true }).click();
	await page.waitForURL(/\/inspiration\?theme=participation&kind=method$/);
	expect(await page.locator('html').getAttribute('lang')).toBe('sv');
	await context.close();
});
