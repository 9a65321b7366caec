import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';
import type { PreparedPerson } from './people.ts';

// Issue 11, surveys: a resident answers Ale's survey without JavaScript (a part a page, the part
// on obstacles only after "No"), with it (the parts in turn on one page), and offline (kept on the
// phone, sent when the connection returns, stored once); the results show every question as a
// chart with a table, free text only once a moderator has shown it; the public file has no
// unreviewed text. Every page passes axe in both languages and fits 320 px.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const space = 'unga-i-ale-vara-med-och-paverka';
const address = `/dialogue/${space}/surveys/hur-vill-du-vara-med`;

async function as(who: PreparedPerson | null, options: { javaScriptEnabled?: boolean; width?: number } = {}) {
	const opened = who ? await openAs(browser, who, options) : await open(browser, options);
	opened.page.setDefaultTimeout(10_000);
	return opened;
}
const responses = async () => {
	const res = await fetch(`${baseUrl()}${address}/responses.csv`);
	return (await res.text()).trim().split('\r\n').length - 1;
};
const heading = (page: Page) => page.locator('[data-section]:not([hidden]) h2').textContent();

test('without JavaScript: a part a page, the conditional part only after its answer, a problem sent back as typed', async () => {
	const before = await responses();
	const { page, context } = await as(null, { javaScriptEnabled: false });
	await page.goto(address);
	expect(await page.locator('h1').textContent()).toBe('Hur vill du vara med och påverka?');
	expect(await heading(page)).toContain('Del 1 av 3');
	expect(await axeViolations(page)).toEqual([]);
	await page.getByLabel('16–19 år').check();
	await page.getByLabel('Nej', { exact: true }).check();
	await page.getByRole('button', { name: 'Nästa del' }).click();
	// "No": the part on what stands in the way.
	expect(await heading(page)).toContain('Del 2 av 3: Det som hindrar');
	// Three choices where two are allowed: the server says so, the choices kept.
	for (const o of ['Jag visste inte att det gick', 'Tiderna passar inte', 'Något annat'])
		await page.getByLabel(o).check();
	await page.getByRole('button', { name: 'Nästa del' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await page.locator('.error-summary li').allTextContents()).toEqual([
		'3. Vad har hindrat dig? Välj högst två.: Välj högst 2.'
	]);
	expect(await page.getByLabel('Något annat').isChecked()).toBe(true);
	expect(await axeViolations(page)).toEqual([]);
	await page.getByLabel('Något annat').uncheck();
	await page.locator('textarea[name=a_q4]').fill('Om mötena var på kvällen.');
	await page.getByRole('button', { name: 'Nästa del' }).click();
	expect(await heading(page)).toContain('Del 3 av 3');
	for (const [place, option] of [
		['1', 'En enkät i mobilen'],
		['2', 'Sociala medier'],
		['3', 'Ungdomsrådet'],
		['4', 'Ett möte i skolan']
	] as const) {
		await page.getByLabel(option).selectOption(place);
	}
	await page.locator('input[name=a_q6][value="4"]').check();
	await page.getByRole('button', { name: 'Skicka svaren' }).click();
	await page.waitForURL(/\?thanks$/);
	expect(await page.locator('[role=status]').textContent()).toBe('Tack! Dina svar är sparade.');
	expect(await responses()).toBe(before + 1);
	await context.close();
});

test('with JavaScript: the parts in turn on one page, the skipped part skipped, one sending', async () => {
	const before = await responses();
	const { page, context } = await as(null);
	const posts: string[] = [];
	page.on('request', (r) => {
		if (r.method() === 'POST') posts.push(r.url());
	});
	await page.goto(address);
	await page.getByLabel('20–25 år').check();
	await page.getByLabel('Ja, en gång').check();
	await page.getByRole('button', { name: 'Nästa del' }).click();
	// "Yes": straight to part 3, on this page, without a sending.
	expect(await heading(page)).toContain('Del 3 av 3');
	expect(posts).toEqual([]);
	expect(await page.getByRole('button', { name: 'Skicka svaren' }).isVisible()).toBe(true);
	expect(await axeViolations(page)).toEqual([]);
	for (const [n, option] of [
		'Ungdomsrådet',
		'En enkät i mobilen',
		'Ett möte i skolan',
		'Sociala medier'
	].entries()) {
		await page.getByLabel(option).selectOption(String(n + 1));
	}
	await page.locator('input[name=a_q6][value="2"]').check();
	await page.getByRole('button', { name: 'Skicka svaren' }).click();
	await page.waitForURL(/\?thanks$/);
	expect(posts).toHaveLength(1);
	expect(await responses()).toBe(before + 1);
	await context.close();
});

test('offline: the answers are kept on the phone and sent once when the connection returns', async () => {
	const before = await responses();
	const { page, context } = await as(null);
	await page.goto(address);
	await page.getByLabel('13–15 år').check();
	await page.getByLabel('Ja, flera gånger').check();
	await page.getByRole('button', { name: 'Nästa del' }).click();
	for (const [n, option] of [
		'Ett möte i skolan',
		'Ungdomsrådet',
		'Sociala medier',
		'En enkät i mobilen'
	].entries()) {
		await page.getByLabel(option).selectOption(String(n + 1));
	}
	await page.locator('input[name=a_q6][value="5"]').check();
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Skicka svaren' }).click();
	await page.getByText('Sparat på den här telefonen, inte skickat än.').waitFor();
	expect(await axeViolations(page)).toEqual([]);
	await context.setOffline(false);
	await page.getByText('Skickat.', { exact: true }).waitFor();
	expect(await responses()).toBe(before + 1);
	// Opened again, the page sends nothing twice.
	await page.reload();
	await page.getByText('Skickat.', { exact: true }).waitFor();
	expect(await responses()).toBe(before + 1);
	await context.close();
});

test('free text reaches the results only once a moderator shows it; the public file never carries it before', async () => {
	const { page, context } = await as('tableEditor');
	await page.goto(`/dialogue/${space}/manage/surveys/hur-vill-du-vara-med`);
	expect(await page.locator('h1').textContent()).toBe('Svar på Hur vill du vara med och påverka?');
	expect(await axeViolations(page)).toEqual([]);
	const item = page.locator('li.pending', { hasText: 'Om mötena var på kvällen.' });
	const csvBefore = await (await fetch(`${baseUrl()}${address}/responses.csv`)).text();
	expect(csvBefore).not.toContain('Om mötena var på kvällen.');
	await item.getByRole('button', { name: 'Visa i resultatet' }).click();
	await page.getByText('Sparat.').waitFor();
	expect(await page.locator('li.pending', { hasText: 'Om mötena var på kvällen.' }).count()).toBe(0);
	await context.close();

	const visitor = await as(null);
	await visitor.page.goto(`${address}/results`);
	expect(await visitor.page.getByText('Om mötena var på kvällen.').count()).toBe(1);
	expect(await visitor.page.getByText('Skatepark vid Ale torg!!').count()).toBe(0);
	// Every chart has its table: the first question's figures as rows.
	const firstTable = visitor.page.locator('section.result').first().locator('tbody tr');
	expect(await firstTable.count()).toBe(3);
	expect(await visitor.page.locator('section.result svg').count()).toBeGreaterThan(10);
	await visitor.context.close();
	expect(await (await fetch(`${baseUrl()}${address}/responses.csv`)).text()).toContain(
		'Om mötena var på kvällen.'
	);
});

test('the survey pages pass axe in both languages and fit 320 px', async () => {
	for (const width of [1280, 320]) {
		const { page, context } = await as('tableEditor', { width });
		for (const path of [
			address,
			`${address}/results`,
			`/dialogue/${space}`,
			`/dialogue/${space}/edit/surveys`,
			`/dialogue/${space}/edit/surveys/hur-vill-du-vara-med`,
			`/dialogue/${space}/manage/surveys/hur-vill-du-vara-med`
		]) {
			for (const at of [path, `/en${path}`]) {
				const res = await page.goto(at);
				expect(res?.status(), at).toBe(200);
				if (width === 1280) expect(await axeViolations(page), at).toEqual([]);
				const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
				expect(wide, `${at} at ${width}`).toBe(true);
			}
		}
		await context.close();
	}
});
