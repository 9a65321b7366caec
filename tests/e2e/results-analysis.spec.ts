import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';

// The programme's yearly analysis of 2023 (the demo's approved reports; the demo's own published
// analysis is of its latest approved year), without JavaScript: the programme's officer chooses a
// quote with an excerpt, previews the draft and publishes; the public page and the version's own
// address show the quote in both languages, print without the site's navigation, pass axe and fit
// 320 px.

const year = 2023;
const address = `/results/analysis/${year}`;

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** Sends the form of a button as a browser without JavaScript: the answer is a new page. */
async function press(page: Page, name: string) {
	await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('an editor chooses a quote and publishes; everyone reads it, cites it and prints it', async () => {
	const { page, context } = await openAs(browser, 'reportStaff', { javaScriptEnabled: false });
	await page.goto(`${address}/edit`);
	expect(await page.locator('h1').innerText()).toBe(`Årsanalys ${year}: välj citat`);
	expect(await axeViolations(page)).toEqual([]);

	// The first text offered: its checkbox, and an excerpt in Swedish (its first sentence).
	const candidate = page.locator('.candidate').first();
	const svText = (await candidate.locator('blockquote[lang="sv"]').innerText()).trim();
	const enText = (await candidate.locator('blockquote[lang="en"]').innerText()).trim();
	const excerpt = svText.match(/^.*?[.!?](?=\s|$)/s)?.[0] ?? svText;
	const label = (await candidate.locator('label.choose').innerText()).trim();
	const partnership = label.replace(/^Citera texten från /, '');
	await candidate.locator('input[type="checkbox"]').check();
	await candidate.locator('textarea[lang="sv"]').fill(excerpt);
	await press(page, 'Spara urvalet');
	expect(await page.getByRole('status').first().innerText()).toContain('Urvalet är sparat');
	expect(await page.locator('.candidate').first().locator('input[type="checkbox"]').isChecked()).toBe(true);

	// The draft shows it before anyone else can.
	await page.goto(`${address}/draft`);
	expect(await page.locator('.quote blockquote').first().innerText()).toBe(excerpt);

	await page.goto(`${address}/edit`);
	await press(page, 'Publicera en ny version');
	const notice = page.getByRole('status').first();
	expect(await notice.innerText()).toMatch(/^Version \d+ är publicerad\./);
	await Promise.all([page.waitForEvent('load'), notice.getByRole('link').click()]);
	const versionUrl = new URL(page.url()).pathname;
	expect(versionUrl).toMatch(new RegExp(`^${address}/v\\d+$`));
	expect(await page.locator('.quote blockquote').first().innerText()).toBe(excerpt);
	await context.close();

	// Everyone: the latest version in Swedish, with how to cite its stable address.
	const visitor = await open(browser, { javaScriptEnabled: false });
	await visitor.page.goto(address);
	const sv = visitor.page;
	expect(await sv.locator('h1').innerText()).toBe(`Årsanalys ${year}`);
	const quote = sv.locator('.quote', { hasText: excerpt });
	expect(await quote.locator('figcaption a').innerText()).toBe(partnership);
	expect(await sv.locator('.citation').innerText()).toContain(`${baseUrl()}${versionUrl}`);
	expect(await sv.locator('section.principle').count()).toBe(4);
	expect(await sv.locator('#annex-scores tbody tr').count()).toBe(4);
	expect(await axeViolations(sv)).toEqual([]);

	// Printed: no navigation or footer, each principle on a new page, the partnership's address written out.
	await sv.emulateMedia({ media: 'print' });
	expect(await sv.locator('.site-header').isVisible()).toBe(false);
	expect(await sv.locator('.site-footer').isVisible()).toBe(false);
	expect(
		await sv
			.locator('section.principle')
			.first()
			.evaluate((el) => getComputedStyle(el).breakBefore)
	).toBe('page');
	expect(
		await quote.locator('figcaption a').evaluate((el) => getComputedStyle(el, '::after').content)
	).toContain('/partnerships/');
	await sv.emulateMedia({ media: 'screen' });
	expect(await sv.locator('.site-header').isVisible()).toBe(true);
	await visitor.context.close();

	// In English, at 320 px: the whole English text (no English excerpt was chosen).
	const narrow = await open(browser, { javaScriptEnabled: false, width: 320 });
	await narrow.page.goto(`/en${versionUrl}`);
	expect(await narrow.page.locator('h1').innerText()).toBe(`Yearly analysis ${year}`);
	expect(await narrow.page.locator('.quote blockquote', { hasText: enText.slice(0, 40) }).count()).toBe(1);
	expect(await overflow(narrow.page)).toBeLessThanOrEqual(0);
	expect(await axeViolations(narrow.page)).toEqual([]);
	await narrow.page.goto('/en/results/analysis');
	expect(await narrow.page.getByRole('link', { name: new RegExp(`^Yearly analysis ${year}`) }).count()).toBe(
		1
	);
	expect(await axeViolations(narrow.page)).toEqual([]);
	await narrow.context.close();
});

test('only editors choose, preview and publish', async () => {
	for (const path of [`${address}/edit`, `${address}/draft`]) {
		const answer = await fetch(`${baseUrl()}${path}`, { redirect: 'manual' });
		expect(answer.status).toBe(401);
	}
	const { page, context } = await openAs(browser, 'reportSwedish', { javaScriptEnabled: false });
	const answer = await page.goto(`${address}/edit`);
	expect(answer?.status()).toBe(403);
	await context.close();
	// A year never published is not a page; nor is a version that does not exist.
	expect((await fetch(`${baseUrl()}/results/analysis/1999`)).status).toBe(404);
	expect((await fetch(`${baseUrl()}${address}/v999`)).status).toBe(404);
});
