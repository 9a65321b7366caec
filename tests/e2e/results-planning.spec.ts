import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launch, open, openAs } from './browser.ts';
import { people } from './people.ts';

// The planning view as a new partnership's coordinator uses it: the programme's officer registers
// a partnership and makes them its coordinator; they write the problem, add an impact and an
// outcome under it, an indicator with its baseline (first with text where a number belongs: the
// field says so and keeps what was typed) and a period's target, and an activity, all without
// JavaScript, and see it all on the partnership's results page. Then once with JavaScript (the
// forms are enhanced), and axe in both languages.

let slug = '';
let plan = '';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
	// The officer registers the partnership and appoints the coordinator (its only person).
	const staff = await openAs(browser, 'registryEditor', { javaScriptEnabled: false });
	await staff.page.goto('/partnerships/new');
	await staff.page.locator('#member-swedish').selectOption({ label: 'Björkviks kommun' });
	await staff.page.locator('#member-international').selectOption({ index: 0 });
	await staff.page.locator('#status').selectOption('inception');
	await staff.page.locator('#summary_sv').fill('Ett nytt partnerskap som planerar sina resultat.');
	await press(staff.page, 'button:has-text("Skapa partnerskapet")');
	slug = /\/partnerships\/([a-z0-9-]+)\?created$/.exec(staff.page.url())![1]!;
	plan = `/partnerships/${slug}/results/plan`;
	await staff.page.goto(`/partnerships/${slug}/edit`);
	await staff.page.locator('#invite-email').fill(people.coordinator.email);
	await press(staff.page, 'button:has-text("Bjud in")');
	await press(staff.page, 'button:has-text("Gör till samordnare")');
	expect(await staff.page.getByRole('status').first().innerText()).toContain('är nu samordnare');
	await staff.context.close();
});
afterAll(() => browser?.close());

/** Sends a form's button as a browser without JavaScript: the answer is a new page. */
async function press(page: Page, selector: string) {
	await Promise.all([page.waitForEvent('load'), page.locator(selector).first().click()]);
}
const status = (page: Page, within: string) => page.locator(`${within} [role="status"]`).first().innerText();
/** Picks the option of a select whose text contains `text`. */
async function pick(page: Page, select: string, text: string) {
	const value = await page.locator(`${select} option`, { hasText: text }).first().getAttribute('value');
	await page.locator(select).selectOption(value!);
}

test('a coordinator builds the plan step by step without JavaScript and sees it on the results page', async () => {
	const { page, context } = await openAs(browser, 'coordinator', { javaScriptEnabled: false });
	await page.goto(plan);
	expect(await page.locator('h1').innerText()).toBe('Planera resultaten');
	// The steps, in order, each linked from the list at the top.
	expect(await page.locator('nav.steps li').allInnerTexts()).toEqual([
		'1 Problemanalys',
		'2 Intressenter',
		'3 Mål',
		'4 Indikatorer och verifikationskällor',
		'5 Aktiviteter och milstolpar',
		'6 Antaganden'
	]);
	expect(await axeViolations(page)).toEqual([]);

	// 1 The problem.
	await page.locator('#analysis-problem_sv').fill('Unga deltar sällan i kommunens samråd.');
	await press(page, '#analysis-form button[type="submit"]');
	expect(page.url()).toMatch(/#analysis$/);
	expect(await status(page, '#analysis')).toBe('Sparat.');
	expect(await page.locator('#analysis-problem_sv').inputValue()).toBe(
		'Unga deltar sällan i kommunens samråd.'
	);

	// 3 An impact, and an outcome under it.
	await page.locator('#add-result-level').selectOption('impact');
	await page.locator('#add-result-title_sv').fill('Unga påverkar kommunens beslut');
	await page.locator('#add-result-principle').selectOption('participation');
	await press(page, '#add-result-form button[type="submit"]');
	expect(await status(page, '#objectives')).toBe('Målet är tillagt.');
	await page.locator('#add-result-level').selectOption('outcome');
	await pick(page, '#add-result-parent', 'Unga påverkar kommunens beslut');
	await page.locator('#add-result-title_sv').fill('Ungdomsråd möts varje månad');
	await press(page, '#add-result-form button[type="submit"]');
	expect(await status(page, '#objectives')).toBe('Målet är tillagt.');
	expect(await page.locator('#objectives .tree').innerText()).toMatch(
		/Effektmål \d+\s*Unga påverkar kommunens beslut[\s\S]*Resultat \d+\.1\s*Ungdomsråd möts varje månad/
	);

	// 4 An indicator: text where a number belongs is named at its field, and what was typed stays.
	await pick(page, '#add-indicator-result', 'Ungdomsråd möts varje månad');
	await page.locator('#add-indicator-measure').selectOption('unit');
	await page.locator('#add-indicator-title_sv').fill('Antal unga på rådets möten');
	await page.locator('#add-indicator-dataSource_sv').fill('Närvarolistor');
	await page.locator('#add-indicator-baselineYear').fill('2025');
	await page.locator('#add-indicator-baselineValue').fill('ungefär tolv');
	await press(page, '#add-indicator-form button[type="submit"]');
	expect(await page.locator('#add-indicator-baselineValue-error').innerText()).toContain('Skriv ett tal');
	expect(await page.locator('#indicators .error-summary a').first().getAttribute('href')).toBe(
		'#add-indicator-baselineValue'
	);
	expect(await page.locator('#add-indicator-baselineValue').inputValue()).toBe('ungefär tolv');
	expect(await page.locator('#add-indicator-title_sv').inputValue()).toBe('Antal unga på rådets möten');
	expect(await page.locator('#add-indicator-dataSource_sv').inputValue()).toBe('Närvarolistor');
	expect(await axeViolations(page)).toEqual([]);
	await page.locator('#add-indicator-baselineValue').fill('12');
	await press(page, '#add-indicator-form button[type="submit"]');
	expect(await status(page, '#indicators')).toBe('Indikatorn är tillagd.');

	// Its period with the target, on the indicator's own page (its link named for it).
	const edit = page.getByRole('link', { name: /^Ändra ?: Antal unga på rådets möten$/ });
	await page.goto((await edit.getAttribute('href'))!);
	expect(await page.locator('h1').innerText()).toBe('Ändra indikatorn: Antal unga på rådets möten');
	expect(await axeViolations(page)).toEqual([]);
	await page.locator('#add-period-start').fill('2026-01-01');
	await page.locator('#add-period-end').fill('2026-12-31');
	await page.locator('#add-period-target').fill('40');
	await press(page, '#add-period-form button[type="submit"]');
	expect(await status(page, '#periods')).toBe('Perioden är tillagd.');
	expect(await page.locator('#periods h3').first().innerText()).toBe('2026-01-01 – 2026-12-31');

	// 5 An activity.
	await page.goto(plan);
	await page.locator('#add-activity-title_sv').fill('Första mötet med ungdomsrådet');
	await page.locator('#add-activity-end').fill('2026-02-15');
	await page.locator('#add-activity-milestone').check();
	await pick(page, '#add-activity-result', 'Ungdomsråd möts varje månad');
	await press(page, '#add-activity-form button[type="submit"]');
	expect(await status(page, '#activities')).toBe('Aktiviteten är tillagd.');

	// All of it on the partnership's results page.
	await page.goto(`/partnerships/${slug}/results`);
	const main = await page.locator('main').innerText();
	for (const text of [
		'Unga påverkar kommunens beslut',
		'Ungdomsråd möts varje månad',
		'Antal unga på rådets möten',
		'Närvarolistor',
		'Första mötet med ungdomsrådet'
	])
		expect(main).toContain(text);
	expect(main).toMatch(/40/);
	await context.close();
});

test('with JavaScript the forms answer in place; the page is axe clean in English at 320 px too', async () => {
	const { page, context } = await openAs(browser, 'coordinator');
	await page.goto(plan);
	await page.locator('#stakeholders-stakeholders_sv').fill('Ungdomsråden, skolorna och nämnderna.');
	await page.locator('#stakeholders-form button[type="submit"]').click();
	expect(await page.locator('#stakeholders [role="status"]').innerText()).toBe('Sparat.');
	expect(await page.locator('#stakeholders-stakeholders_sv').inputValue()).toBe(
		'Ungdomsråden, skolorna och nämnderna.'
	);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();

	const english = await openAs(browser, 'coordinator', { width: 320 });
	await english.page.goto(`/en${plan}`);
	expect(await english.page.locator('h1').innerText()).toBe('Plan the results');
	expect(await english.page.locator('#assumptions h2').innerText()).toBe('6 Assumptions');
	expect(await axeViolations(english.page)).toEqual([]);
	const overflow = await english.page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);
	// Each item's own page (a result, an indicator, an activity), in English at 320 px too.
	const items = await english.page
		.locator(
			'a[href*="/results/plan/result/"], a[href*="/results/plan/indicator/"], a[href*="/results/plan/activity/"]'
		)
		.evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
	const kinds = ['result', 'indicator', 'activity'].map((k) =>
		items.find((href) => href.includes(`/plan/${k}/`))
	);
	for (const href of kinds) {
		expect(href).toMatch(/^\/en\//);
		await english.page.goto(href!);
		expect(await english.page.locator('h1').innerText(), href).toMatch(/^Edit /);
		expect(await axeViolations(english.page), href).toEqual([]);
		expect(
			await english.page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			),
			href
		).toBeLessThanOrEqual(0);
	}
	await english.context.close();
});

test('someone who does not coordinate the partnership gets 403; signed out, the sign-in page', async () => {
	const { page, context } = await openAs(browser, 'tableReader', { javaScriptEnabled: false });
	expect((await page.goto(plan))?.status()).toBe(403);
	await context.close();
	const visitor = await open(browser, { javaScriptEnabled: false });
	await visitor.page.goto(plan);
	expect(visitor.page.url()).toMatch(/\/sign-in\?to=/);
	await visitor.context.close();
});
