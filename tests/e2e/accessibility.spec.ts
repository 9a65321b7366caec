import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launch, open } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const pages = [
	'/',
	'/inspiration',
	'/inspiration?theme=participation&sdg=16',
	'/inspiration?sdg=3.3',
	'/inspiration?sdg=14',
	'/inspiration/medborgardialog-som-raddar-liv',
	'/inspiration/iqa-2016-partnerskap-pa-vag-mot-mer-lokal-demokrati',
	'/goals',
	'/goals/7',
	'/goals/16',
	'/search',
	'/search?q=medborgardialog',
	'/search?q=medborgardialg',
	'/search?q=horby',
	'/search?q=korruption&kind=goals',
	'/accessibility',
	'/privacy',
	'/sitemap',
	'/inspiration?sdg=99',
	'/no-such-page',
	'/dialogue/unsubscribe/nonsense',
	'/dialogue/new',
	'/sign-up?to=%2Fdialogue'
];

/**
 * In English, one page of each kind: the templates are the same as in Swedish (every Swedish
 * variant above is checked), so what differs is the language of the page and its texts.
 */
const englishPages = [
	'/',
	'/inspiration?theme=participation&sdg=16',
	'/inspiration/medborgardialog-som-raddar-liv',
	'/goals/16',
	'/search?q=dialogue',
	'/search?q=medborgardialogen',
	'/accessibility',
	'/sitemap',
	'/inspiration?sdg=99',
	'/no-such-page',
	'/dialogue/new'
];

// One page for all the checks of a language, one after another: a new context starts a new
// renderer each time, where axe (half a megabyte of script) is compiled cold; in a page that
// stays, the second and later checks take about half as long.
describe.each([
	['', pages],
	['/en', englishPages]
])('every public page under "%s"', (prefix, list) => {
	let page: Page;
	let context: BrowserContext;
	beforeAll(async () => {
		({ page, context } = await open(browser));
	});
	afterAll(() => context?.close());
	test.each(list)('%s has no WCAG 2.1 A/AA violations', async (path) => {
		await page.goto(prefix + (path === '/' && prefix ? '' : path));
		expect(await axeViolations(page)).toEqual([]);
	});
});

test('the skip link is the first stop for the keyboard and moves focus to the content', async () => {
	const { page, context } = await open(browser);
	await page.goto('/inspiration');
	await page.keyboard.press('Tab');
	const focused = page.locator(':focus');
	expect(await focused.textContent()).toBe('Hoppa till innehållet');
	// The focus is visible: a 3 px outline, not the browser's faint default.
	const outline = await focused.evaluate((el) => {
		const style = getComputedStyle(el);
		return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
	});
	expect(outline.style).toBe('solid');
	expect(outline.width).toBeGreaterThanOrEqual(3);
	await page.keyboard.press('Enter');
	expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
	// Onwards with Tab reaches the filters and the cards: every link is reachable.
	const reached = new Set<string>();
	for (let i = 0; i < 60; i++) {
		await page.keyboard.press('Tab');
		reached.add((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '');
	}
	expect([...reached].some((t) => t.startsWith('Deltagande'))).toBe(true);
	await context.close();
});

test('every kind of public page reflows at 320 px in both languages, and its headings go in order', async () => {
	const { page, context } = await open(browser, { width: 320, javaScriptEnabled: false });
	const linksOn = async (list: string, pattern: RegExp) => {
		await page.goto(list);
		const hrefs = await page
			.locator('main a')
			.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
		return [...new Set(hrefs.filter((h) => pattern.test(h)))];
	};
	const paths = [
		'/',
		'/inspiration',
		'/inspiration/medborgardialog-som-raddar-liv',
		'/partnerships',
		'/partnerships/ale-ghanzi',
		'/partnerships/ale-ghanzi/results',
		'/partnerships/ale-ghanzi/reports/2024',
		'/organizations/ale-kommun',
		'/results',
		'/results/analysis',
		'/dialogue',
		'/find-a-partner',
		'/goals',
		'/goals/16',
		'/search?q=dialog',
		'/search?q=horby',
		'/search?q=korruption',
		'/accessibility',
		'/privacy',
		'/sitemap',
		'/sign-in',
		'/sign-up',
		'/reset-password'
	];
	// Every dialogue space of the demo, a proposal, a find-a-partner profile and a yearly analysis.
	const spaces = await linksOn('/dialogue', /^\/dialogue\/[a-z0-9-]+$/);
	paths.push(...spaces);
	for (const space of spaces) {
		const [proposal] = await linksOn(space, /\/proposals\/\d+$/);
		if (proposal) {
			paths.push(proposal);
			break;
		}
	}
	paths.push(...(await linksOn('/find-a-partner', /^\/find-a-partner\/\d+$/)).slice(0, 1));
	paths.push(...(await linksOn('/results/analysis', /^\/results\/analysis\/\d+$/)).slice(0, 1));
	expect(paths.length).toBeGreaterThanOrEqual(24);

	for (const path of [...paths, ...paths.map((p) => (p === '/' ? '/en' : `/en${p}`))]) {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(200);
		// What sticks out (a table scrolling in its own region does not count).
		const wide = await page.evaluate(() =>
			document.documentElement.scrollWidth <= window.innerWidth
				? []
				: [...document.querySelectorAll('body *')]
						.filter(
							(el) =>
								!el.closest('.table-wrap, .scroll-region') &&
								el.getBoundingClientRect().right > window.innerWidth + 1
						)
						.slice(0, 3)
						.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
		);
		expect(wide, path).toEqual([]);
		const levels = await page.$$eval('main h1, main h2, main h3, main h4', (hs) =>
			hs.map((h) => Number(h.tagName[1]))
		);
		expect(levels[0], path).toBe(1);
		expect(
			levels.filter((l) => l === 1),
			path
		).toHaveLength(1);
		for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, path).toBeLessThanOrEqual(1);
	}
	await context.close();
}, 180_000);

test('the axe check itself catches a violation (so a clean result means something)', async () => {
	const { page, context } = await open(browser);
	await page.goto('/');
	await page.evaluate(() => {
		const link = document.createElement('a');
		link.href = '/x';
		document.querySelector('main')?.append(link);
	});
	expect((await axeViolations(page)).join('\n')).toMatch(/^link-name/m);
	await context.close();
});

test('and so does the check of a page without JavaScript, on its markup in a kept page that each check starts afresh', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto(
		'data:text/html,<!doctype html><html lang="sv"><title>Prov</title><main><a href="/x"></a></main>'
	);
	expect((await axeViolations(page)).join('\n')).toMatch(/^link-name/m);
	// The next check in the same kept page sees only its own page's markup.
	await page.goto('/');
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});
