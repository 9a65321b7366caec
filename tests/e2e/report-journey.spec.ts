import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';
import { people, type PreparedPerson } from './people.ts';

// The yearly report of the demo's Kalmar–Cape Winelands (its framework has periods in 2017; the
// demo left 2017 a draft), without JavaScript: the programme's officer makes a coordinator on each
// side; the Swedish one completes 2017 and submits it (first too early), the partner side approves, the officer returns it
// with a comment, it is corrected and sent again, both sides and then the programme approve, and
// the year is shown approved and locked. Every new page passes axe in both languages and fits 320 px.

const slug = 'kalmar-cape-winelands';
const year = `/partnerships/${slug}/reports/2017`;
const principles = ['participation', 'transparency', 'accountability', 'non-discrimination'];

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const as = (who: PreparedPerson, width?: number) => openAs(browser, who, { javaScriptEnabled: false, width });

/** Sends the form of a button as a browser without JavaScript: the answer is a new page. */
async function press(page: Page, name: string | RegExp) {
	await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

const status = (page: Page) => page.getByRole('status').first().innerText();
const text = (page: Page, selector: string) => page.locator(selector).innerText();
/** What sticks out sideways (a table scrolling in its own region does not count): none, when it fits. */
const stickingOut = (page: Page) =>
	page.evaluate(() =>
		document.documentElement.scrollWidth <= document.documentElement.clientWidth
			? []
			: [...document.querySelectorAll('body *')]
					.filter(
						(el) =>
							!el.closest('.table-wrap') &&
							el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
					)
					.slice(0, 5)
					.map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
	);

/** The programme's officer lets a person into the partnership's space and makes them coordinator. */
async function appoint(page: Page, who: 'reportSwedish' | 'reportPartner') {
	await page.goto(`/partnerships/${slug}/edit`);
	await page.locator('#invite-email').fill(people[who].email);
	await press(page, 'Bjud in');
	expect(await status(page)).toBe(`${people[who].email} är inbjuden.`);
	// Editors see the space's people by name (and address): the button names whom it appoints.
	const row = page.locator('li', { hasText: people[who].name });
	await Promise.all([
		page.waitForEvent('load'),
		row.getByRole('button', { name: /Gör till samordnare/ }).click()
	]);
	expect(await status(page)).toContain('är nu samordnare');
}

test('a year is written, returned, corrected and approved by both sides and the programme', async () => {
	const staff = await as('reportStaff');
	await appoint(staff.page, 'reportSwedish');
	await appoint(staff.page, 'reportPartner');

	// The Swedish coordinator finds the reports from the partnership's page and starts 2017.
	const swedish = await as('reportSwedish');
	const sw = swedish.page;
	await sw.goto(`/partnerships/${slug}`);
	await Promise.all([sw.waitForEvent('load'), sw.getByRole('link', { name: 'Årsrapporter' }).click()]);
	expect(sw.url()).toMatch(new RegExp(`/partnerships/${slug}/reports$`));
	expect(await text(sw, 'main')).toMatch(/Rapporteringsläge: (Försenad|Inaktiv)\./);
	expect(await axeViolations(sw)).toEqual([]);
	// The demo began this year's report as a draft: the coordinator opens it.
	await Promise.all([
		sw.waitForEvent('load'),
		sw.getByRole('link', { name: 'Öppna rapporten för 2017' }).click()
	]);
	expect(sw.url()).toMatch(new RegExp(`${year}$`));
	expect(await text(sw, '.report-facts')).toContain('Utkast');
	expect(await axeViolations(sw)).toEqual([]);

	// Submitted too early: every missing field is named at the top and at the field; what was
	// typed stays (and is saved as the draft).
	await sw.locator('[name="lessons_sv"]').fill('Kvällsmöten fungerade bäst.');
	await sw.locator('[name="lessons_en"]').fill('');
	await sw.locator('input[name^="actual_"]').first().fill('');
	await press(sw, 'Skicka in rapporten');
	const summary = await text(sw, '.error-summary');
	expect(summary).toContain('Lärdomar (engelska): Fyll i detta innan rapporten skickas in.');
	expect(summary).toMatch(/Utfall: .+: Fyll i detta innan rapporten skickas in\./);
	expect(await text(sw, '#lessons_en-error')).toContain('Fyll i detta');
	expect(await sw.locator('[name="lessons_sv"]').inputValue()).toBe('Kvällsmöten fungerade bäst.');
	expect(await axeViolations(sw)).toEqual([]);

	// A value that is no number is refused where it was typed; then the year is filled in.
	const values = sw.locator('input[name^="actual_"]');
	const periods = await values.count();
	expect(periods).toBeGreaterThan(0);
	await values.first().fill('ungefär fyrtio');
	await press(sw, 'Spara utkastet');
	expect(await text(sw, '.error-summary')).toContain('Skriv ett tal');
	expect(await values.first().inputValue()).toBe('ungefär fyrtio');
	await sw.locator('[name="lessons_en"]').fill('Evening meetings drew more young residents.');
	await sw.locator('[name="plans_en"]').fill('Hold two meetings in the villages outside the town.');
	for (const [i, p] of principles.entries()) {
		await sw.locator(`[name="text_${p}_en"]`).fill(`What we did for ${p} this year.`);
		await sw.locator(`input[name="score_${p}"][value="${2 + (i % 3)}"]`).check();
		await sw.locator(`[name="reasoning_${p}_en"]`).fill('Seen in the meeting notes.');
	}
	for (let i = 0; i < periods; i++) await values.nth(i).fill(String(40 + i));
	await press(sw, 'Skicka in rapporten');
	expect(await status(sw)).toContain('Rapporten är inskickad.');
	expect(await text(sw, '.report-facts')).toContain('Inskickad');
	expect(await sw.locator('textarea[name="lessons_en"]').count()).toBe(0);
	// The Swedish page shows the Swedish texts (the demo's draft had them too).
	expect(await text(sw, 'main')).toContain('Kvällsmöten fungerade bäst.');

	// The partner side approves, in English.
	const partner = await as('reportPartner');
	const pa = partner.page;
	await pa.goto(`/en${year}`);
	expect(await axeViolations(pa)).toEqual([]);
	await press(pa, 'Approve for the partner side');
	expect(await status(pa)).toBe('Your approval is saved.');
	expect(await text(pa, '.report-steps')).toContain('Partner side: Coordinator Winelands');

	// The programme may not approve before both sides: it returns the report, with a comment.
	const st = staff.page;
	await st.goto(year);
	expect(await text(st, '.report-steps')).toContain('Båda partnerna godkänner först, sedan programmet.');
	expect(await st.getByRole('button', { name: 'Godkänn för programmet' }).count()).toBe(0);
	await press(st, 'Skicka tillbaka rapporten');
	expect(await text(st, '#return-comment-error')).toContain('Kommentar');
	await st.locator('#return-comment').fill('Förklara bedömningen för ansvarsutkrävande.');
	await press(st, 'Skicka tillbaka rapporten');
	expect(await status(st)).toBe('Rapporten är tillbakaskickad med din kommentar.');

	// Returned: the approvals are gone, the comment is in the history; corrected and sent again.
	await sw.goto(year);
	expect(await text(sw, '.report-facts')).toContain('Tillbakaskickad');
	expect(await text(sw, '.history')).toContain('Kommentar: Förklara bedömningen för ansvarsutkrävande.');
	expect(await sw.locator('[name="lessons_en"]').inputValue()).toBe(
		'Evening meetings drew more young residents.'
	);
	await sw
		.locator('[name="reasoning_accountability_en"]')
		.fill('Two of three questions were answered in time.');
	await press(sw, 'Skicka in rapporten');
	expect(await status(sw)).toContain('Rapporten är inskickad.');

	// Both sides approve, then the programme.
	await press(sw, 'Godkänn för den svenska sidan');
	expect(await status(sw)).toBe('Ditt godkännande är sparat.');
	await pa.goto(`/en${year}`);
	await press(pa, 'Approve for the partner side');
	await st.goto(year);
	await press(st, 'Godkänn för programmet');
	expect(await status(st)).toBe('Ditt godkännande är sparat.');

	// Approved and locked: read, not written; the history tells every step.
	expect(await text(st, '.report-facts')).toContain('Godkänd');
	expect(await text(st, '.report-state')).toContain('godkänd och låst');
	expect(await st.locator('textarea[name^="text_"]').count()).toBe(0);
	await st.goto(`/en${year}`);
	expect(await text(st, 'main')).toContain('Two of three questions were answered in time.');
	await st.goto(year);
	const history = await st.locator('.history li').allInnerTexts();
	expect(history.map((h) => h.split(',')[0])).toEqual([
		'Rapporten påbörjades',
		'Inskickad av Samordnare Kalmar',
		'Godkänd för partnersidan av Coordinator Winelands',
		'Tillbakaskickad av Programhandläggare',
		'Inskickad av Samordnare Kalmar',
		'Godkänd för den svenska sidan av Samordnare Kalmar',
		'Godkänd för partnersidan av Coordinator Winelands',
		'Godkänd för programmet av Programhandläggare'
	]);
	expect(await st.getByRole('button', { name: 'Öppna för rättelse' }).count()).toBe(1);
	expect(await axeViolations(st)).toEqual([]);
	await st.goto(`/en${year}`);
	expect(await axeViolations(st)).toEqual([]);

	// The approved year is public; the list of years and the steps are the partnership's.
	const visitor = await fetch(`${baseUrl()}/en${year}`);
	expect(visitor.status).toBe(200);
	const page = await visitor.text();
	expect(page).toContain('Two of three questions were answered in time.');
	expect(page).not.toContain('Samordnare Kalmar');
	expect((await fetch(`${baseUrl()}/partnerships/${slug}/reports`)).status).toBe(401);

	for (const c of [staff, swedish, partner]) await c.context.close();
}, 240_000);

test('a coordinator finds their partnership and their organization on their account page', async () => {
	// The first journey made them coordinator of Kalmar–Cape Winelands; they work for Regionförbundet.
	const { page, context } = await as('reportSwedish', 320);
	for (const path of ['/account', '/en/account']) {
		await page.goto(path);
		expect(await axeViolations(page), path).toEqual([]);
		expect(await stickingOut(page), path).toEqual([]);
	}
	const work = page.locator('section.own-work');
	const partnership = work.getByRole('listitem').filter({ hasText: 'Cape Winelands' }).first();
	expect(await partnership.innerText()).toContain('(coordinator)');
	const links = await partnership
		.getByRole('link')
		.evaluateAll((as) => as.map((a) => `${a.textContent} ${(a as HTMLAnchorElement).pathname}`));
	expect(links).toEqual([
		expect.stringMatching(/Kalmar.*Cape Winelands.* \/en\/partnerships\/kalmar-cape-winelands$/),
		'Yearly reports /en/partnerships/kalmar-cape-winelands/reports',
		'Plan the results /en/partnerships/kalmar-cape-winelands/results/plan',
		'Edit the page /en/partnerships/kalmar-cape-winelands/edit'
	]);
	expect(await work.getByRole('link', { name: 'Find-a-partner profile' }).count()).toBe(1);
	// The header: who is signed in, their account, signing out.
	expect(await page.locator('.site-header').innerText()).toContain('Signed in as Samordnare Kalmar');
	await context.close();
}, 60_000);

test('the reports’ pages pass axe in English and fit 320 px', async () => {
	const { page, context } = await as('reportStaff', 320);
	for (const path of [
		`/en/partnerships/${slug}/reports`,
		`/partnerships/${slug}/reports`,
		`/en${year}`,
		year
	]) {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(200);
		expect(await axeViolations(page), path).toEqual([]);
		expect(await stickingOut(page), path).toEqual([]);
	}
	// The demo's 2015 was returned once: steps nobody named took are told by the role that takes them.
	await page.goto(`/en/partnerships/${slug}/reports/2015`);
	const history = await text(page, '.history');
	expect(history).toContain('Returned by programme staff');
	expect(history).toContain("Approved for the partner side by the partner side's coordinator");
	expect(history).not.toMatch(/someone/i);
	await context.close();
	// The year of a report that was never started is only a note and, for writers, the button.
	const anonymous = await open(browser, { javaScriptEnabled: false });
	const res = await anonymous.page.goto(`/partnerships/${slug}/reports/2014`);
	expect(res?.status()).toBe(401);
	await anonymous.context.close();
}, 120_000);
