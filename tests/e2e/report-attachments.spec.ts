import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, lastMail, launch, mailTo, open, openAs } from './browser.ts';
import { tinyPdf } from '../../src/lib/server/media/test-files.ts';

// Attachments to a yearly report, without JavaScript. The demo's Ale–Ghanzi report for 2025 was
// returned by the programme, so it can be changed again. The programme's officer invites a new
// coordinator into the partnership's space; the coordinator sets a password from the mail, signs
// in, attaches the minutes of a meeting as a PDF (first without a title), finds it listed with its
// size, downloads the very bytes sent, and removes it again. A visitor gets a 404 for it, as for
// any file that is not there. Every state of the page passes axe in both languages.

const slug = 'ale-ghanzi';
const year = `/partnerships/${slug}/reports/2025`;
const newcomer = {
	email: 'rapport-bilagor@example.se',
	name: 'Samordnare Bilagor',
	password: 'bilagornas samordnare har ett långt lösen'
};

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** Sends the form of a button as a browser without JavaScript: the answer is a new page. */
async function press(page: Page, name: string | RegExp) {
	await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

const status = (page: Page) => page.getByRole('status').first().innerText();

test('a coordinator attaches a PDF to the report, downloads it and removes it; a visitor gets 404', async () => {
	// The officer invites the coordinator (a new account) and makes them coordinator.
	const staff = await openAs(browser, 'reportStaff', { javaScriptEnabled: false });
	const before = lastMail();
	await staff.page.goto(`/partnerships/${slug}/edit`);
	await staff.page.locator('#invite-name').fill(newcomer.name);
	await staff.page.locator('#invite-email').fill(newcomer.email);
	await press(staff.page, 'Bjud in');
	expect(await status(staff.page)).toBe(`${newcomer.email} är inbjuden.`);
	const row = staff.page.locator('li', { hasText: newcomer.name });
	await Promise.all([
		staff.page.waitForEvent('load'),
		row.getByRole('button', { name: /Gör till samordnare/ }).click()
	]);
	expect(await status(staff.page)).toContain('är nu samordnare');
	await staff.context.close();

	// The coordinator chooses a password from the invitation and signs in.
	const invitation = await mailTo(newcomer.email, before);
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto(invitation.links.find((l) => l.startsWith(baseUrl()))!);
	await page.waitForURL(/\/reset-password\/new\?token=/);
	await page.getByLabel('Nytt lösenord').fill(newcomer.password);
	await press(page, 'Spara lösenordet');
	await page.getByLabel('E-postadress').fill(newcomer.email);
	await page.getByLabel('Lösenord').fill(newcomer.password);
	await press(page, 'Logga in');

	await page.goto(year);
	expect(await page.getByRole('heading', { name: 'Bilagor' }).count()).toBe(1);
	expect(await page.locator('.attachments').innerText()).toContain('Rapporten har inga bilagor.');
	expect(await axeViolations(page)).toEqual([]);

	// Without a title the file is refused, with the message at the field; then it is attached.
	const pdf = tinyPdf('Protokoll dialogmote maj');
	const file = { name: 'Skanning 0001.pdf', mimeType: 'application/pdf', buffer: pdf };
	await page.locator('#attachment-file').setInputFiles(file);
	await press(page, 'Lägg till en bilaga');
	expect(await page.locator('#attachment-title-error').innerText()).toContain('Bilagans titel');
	expect(await axeViolations(page)).toEqual([]);
	await page.locator('#attachment-file').setInputFiles(file);
	await page.getByLabel('Titel').fill('Protokoll från dialogmötet i maj');
	await press(page, 'Lägg till en bilaga');
	expect(await status(page)).toBe('Bilagan är tillagd.');
	const link = page.getByRole('link', { name: 'Protokoll från dialogmötet i maj' });
	expect(await page.locator('.attachment-list li').first().innerText()).toMatch(/\(PDF, 1 kB\)/);
	expect(await axeViolations(page)).toEqual([]);

	// Downloaded by the coordinator: the bytes sent, kept by no shared cache.
	const href = (await link.getAttribute('href'))!;
	expect(href).toMatch(/^\/media\/[^/]+\/skanning-0001\.pdf$/);
	const download = await page.request.get(href);
	expect(download.status()).toBe(200);
	expect(download.headers()['cache-control']).toBe('private, no-store');
	expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
	// A visitor who is not signed in finds no such file.
	expect((await fetch(`${baseUrl()}${href}`)).status).toBe(404);

	// The English page lists it too.
	await page.goto(`/en${year}`);
	expect(await page.getByRole('link', { name: 'Protokoll från dialogmötet i maj' }).count()).toBe(1);
	expect(await page.getByRole('heading', { name: 'Attachments' }).count()).toBe(1);
	expect(await axeViolations(page)).toEqual([]);

	// Removed: gone from the list, and the file with it.
	await page.goto(year);
	await press(page, 'Ta bort bilagan Protokoll från dialogmötet i maj');
	expect(await status(page)).toBe('Bilagan är borttagen.');
	expect(await page.locator('.attachments').innerText()).toContain('Rapporten har inga bilagor.');
	expect((await page.request.get(href)).status()).toBe(404);
	await context.close();
}, 180_000);
