import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('a visitor goes from a principle on the home page to its inspiration and reads an article', async () => {
	const { page, context } = await open(browser);
	await page.goto('/');
	expect(await page.locator('html').getAttribute('lang')).toBe('sv');
	// A principle with no article yet says so and is no link to an empty list (the demo has none on
	// non-discrimination).
	const principles = page.locator('.principles > li');
	expect(await principles.count()).toBe(4);
	const empty = principles.filter({ hasText: 'Icke-diskriminering' });
	expect(await empty.innerText()).toContain('Inga artiklar ännu');
	expect(await empty.getByRole('link').count()).toBe(0);
	expect(await principles.getByRole('link').count()).toBe(3);

	// On the listing, the principles are a filter of their own, apart from the topics.
	await page.goto('/inspiration');
	expect(await page.locator('#facet-principle').innerText()).toBe('Demokratiprincip');
	expect(await page.locator('#facet-topic').innerText()).toBe('Ämne');
	const principleFilter = await page.locator('#facet-principle + ul').innerText();
	for (const name of ['Deltagande', 'Transparens', 'Ansvarsutkrävande'])
		expect(principleFilter).toContain(name);
	const topicFilter = await page.locator('#facet-topic + ul').innerText();
	expect(topicFilter.length).toBeGreaterThan(0);
	for (const name of ['Deltagande', 'Transparens', 'Ansvarsutkrävande'])
		expect(topicFilter).not.toContain(name);
	await page.goto('/');
	await page
		.getByRole('link', { name: /^Deltagande/ })
		.first()
		.click();
	await page.waitForURL(/\/inspiration\?theme=participation$/);

	// Every card reads "Theme – Title" and the participation filter is marked as chosen.
	const heading = await page.getByRole('heading', { level: 2, name: /träffar/ }).textContent();
	const hits = Number(heading?.match(/\d+/)?.[0]);
	expect(hits).toBeGreaterThanOrEqual(6);
	const chosen = page.locator('.facet a[aria-current="true"]');
	expect(await chosen.textContent()).toContain(`Deltagande (${hits})`);
	const cards = page.locator('.card');
	expect(await cards.count()).toBe(hits);
	for (const title of await page.locator('.card-title').allTextContents()) {
		expect(title).toMatch(/^\s*\S.* –\s+\S/);
	}

	// Narrow down by kind, then open the dengue case story.
	await page
		.locator('#facet-kind + ul')
		.getByRole('link', { name: /Fallbeskrivning/ })
		.click();
	await page.waitForURL(/kind=case-story/);
	expect(new URL(page.url()).searchParams.get('theme')).toBe('participation');
	await page.getByRole('link', { name: /Medborgardialog som räddar liv/ }).click();
	await page.waitForURL(/\/inspiration\/medborgardialog-som-raddar-liv$/);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/räddar liv/);
	// The menu says which section this page belongs to, without calling it the current page.
	const menu = page.getByRole('navigation', { name: 'Huvudmeny' });
	expect(await menu.getByRole('link', { name: 'Inspiration' }).getAttribute('aria-current')).toBe('true');
	// Its goals and targets link onwards.
	expect(await page.locator('.facts').getByRole('link', { name: '3.3' }).getAttribute('href')).toBe(
		'/inspiration?sdg=3.3'
	);
	// So do the organizations and the partnership it is about.
	const facts = await page
		.locator('.facts a')
		.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
	expect(facts).toEqual(
		expect.arrayContaining([
			'/organizations/region-vasterbotten',
			'/organizations/yogyakarta-special-region',
			'/partnerships/vasterbotten-yogyakarta'
		])
	);
	await Promise.all([
		page.waitForEvent('load'),
		page.locator('.facts a[href="/partnerships/vasterbotten-yogyakarta"]').click()
	]);
	expect(new URL(page.url()).pathname).toBe('/partnerships/vasterbotten-yogyakarta');
	await context.close();
});
