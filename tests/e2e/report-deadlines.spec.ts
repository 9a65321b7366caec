import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launch, openAs } from './browser.ts';

// The programme sets when each year's reports are due, and a partnership's reporting light follows:
// a report due today is "due soon"; once its day has passed without a report, "overdue". The test
// cannot move the clock, so it moves the date: last year's reports due today, then yesterday (the
// date passes), then back as it was. The partnership is a new one, with no report for last year.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const year = new Date().getUTCFullYear() - 1;

async function press(page: Page, name: string) {
	await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

async function setDue(page: Page, due: string) {
	await page.goto('/admin/report-deadlines');
	await page.getByLabel('Rapportår').fill(String(year));
	await page.getByLabel('Senast', { exact: true }).fill(due);
	await press(page, 'Spara datumet');
}

test('the reporting light turns overdue when the due date passes', async () => {
	const { page, context } = await openAs(browser, 'reportStaff', { javaScriptEnabled: false });
	// A partnership active since last year, with no report for it.
	await page.goto('/partnerships/new');
	await page.locator('#member-swedish').selectOption({ index: 0 });
	await page.locator('#member-international').selectOption({ index: 0 });
	await page.locator('#status').selectOption('active');
	await page.locator('#summary_sv').fill('Ett påhittat partnerskap för ett test av rapportdatum.');
	await page.locator('[name="phase_active_from"]').fill(String(year));
	await press(page, 'Skapa partnerskapet');
	const slug = /\/partnerships\/([a-z0-9-]+)\?created$/.exec(page.url())![1]!;
	const light = async () => {
		await page.goto(`/partnerships/${slug}/reports`);
		return (await page.locator('main').innerText()).match(/Rapporteringsläge: ([^.\n]+)/)?.[1];
	};

	// The date is today: due soon.
	await setDue(page, day(0));
	expect(await page.getByRole('status').innerText()).toContain(`Datumet för ${year} är sparat`);
	expect(await axeViolations(page)).toEqual([]);
	expect(await light()).toBe('Snart dags');

	// The date has passed: overdue.
	const yesterday = day(-1) >= `${year}-12-31` ? day(-1) : `${year}-12-31`;
	await setDue(page, yesterday);
	expect(await light()).toBe(yesterday < day(0) ? 'Försenad' : 'Snart dags');

	// A date outside what the year allows is refused at its field, and what was typed stays.
	await setDue(page, `${year}-06-30`);
	expect(await page.locator('#due-error').innerText()).toContain('rapportårets sista dag');
	expect(await page.getByLabel('Senast', { exact: true }).inputValue()).toBe(`${year}-06-30`);
	expect(await axeViolations(page)).toEqual([]);

	// As it was: 31 March of the year after.
	await setDue(page, `${year + 1}-03-31`);
	expect(await page.locator('table').innerText()).toContain(String(year));
	await context.close();
});
