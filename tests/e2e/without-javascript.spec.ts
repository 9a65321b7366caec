import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open, openAs } from './browser.ts';

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
	expect(await page.getByLabel('Sök på webbplatsen').inputValue()).toBe('demokrati');
	expect(await page.content()).not.toMatch(/at .*\.(js|ts):\d+/);
	await context.close();
});

test('in the workspace without JavaScript, a status button saves what was typed before the step', async () => {
	const { page, context } = await openAs(browser, 'writer', { javaScriptEnabled: false });
	await page.goto('/admin/articles/new');
	await page.locator('#title_sv').fill('Ett utkast som skickas utan skript');
	await page.locator('#teaser_sv').fill('Den första ingressen.');
	await page.locator('textarea[name="body_sv"]').fill('<p>Texten i utkastet.</p>');
	await page.getByRole('button', { name: 'Skapa utkast' }).click();
	await page.waitForURL(/\/admin\/articles\/\d+\?created$/);
	const editor = new URL(page.url()).pathname;
	// An edit, then straight to the status button: the form is saved first, then the step taken.
	await page.locator('#teaser_sv').fill('Den andra ingressen, skriven före steget.');
	await page.getByRole('button', { name: 'Skicka till granskning' }).click();
	await page.waitForLoadState();
	expect(await page.getByRole('status').first().textContent()).toContain(
		'Formuläret sparades och artikeln har nu status: Granskas.'
	);
	await page.goto(editor);
	expect(await page.locator('#teaser_sv').inputValue()).toBe('Den andra ingressen, skriven före steget.');
	await context.close();
});
