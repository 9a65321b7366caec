import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, lastMail, launch, mailTo, open, openAs } from './browser.ts';
import { people } from './people.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const asker = people.asker;

test('someone from a municipality asks for access, an editor approves, and they land on their organization and invite a colleague', async () => {
	// Signed out, the page says how to begin, and the way back comes with the sign-in link.
	const { page, context } = await open(browser);
	await page.goto('/organizations/request-access');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
		'Få tillgång för din organisation'
	);
	expect(await axeViolations(page)).toEqual([]);
	await page.getByRole('link', { name: 'Logga in' }).last().click();
	await page.getByLabel('E-postadress').fill(asker.email);
	await page.getByLabel('Lösenord').fill(asker.password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	await page.waitForURL(/\/organizations\/request-access$/);

	// The long list shortens as one types, accents or not.
	const before = lastMail();
	await page.getByLabel('Sök i listan').fill('kiruna');
	expect(await page.locator('#organization option').allTextContents()).toEqual([
		'Finns inte i listan',
		'Kiruna kommun'
	]);
	await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Kiruna kommun' });
	await page.getByLabel('Din roll i organisationen').fill('Internationell samordnare');
	await page
		.getByLabel('Meddelande till redaktörerna (frivilligt)')
		.fill('Vi vill söka partner i Norden och Afrika.');
	expect(await axeViolations(page)).toEqual([]);
	await page.getByRole('button', { name: 'Skicka förfrågan' }).click();
	await page.waitForURL(/\?sent$/);
	expect(await page.getByRole('status').textContent()).toContain('Förfrågan är skickad');
	expect(await page.locator('#own-requests + ul').textContent()).toContain('Kiruna kommun: Väntar på beslut');
	const received = await mailTo(asker.email, before);
	expect(received.subject).toBe('Vi har fått din förfrågan');
	// A second request waits for the first: no form until it is decided.
	expect(await page.getByText('Du har en förfrågan som väntar på beslut').count()).toBe(1);
	expect(await page.getByRole('button', { name: 'Skicka förfrågan' }).count()).toBe(0);

	// The editor finds it from the workspace's menu, and approves, making them its administrator.
	const editor = await openAs(browser, 'partnerEditor');
	await editor.page.goto('/admin');
	await editor.page.getByRole('link', { name: /^Förfrågningar om tillgång \(\d+\)$/ }).click();
	const request = editor.page.locator('article.access-request', { hasText: asker.email });
	expect(await request.textContent()).toContain('Internationell samordnare');
	expect(await axeViolations(editor.page)).toEqual([]);
	await request.getByLabel(/Gör till administratör/).check();
	await request.getByRole('button', { name: 'Godkänn' }).click();
	await editor.page.waitForSelector('[role=status]');
	expect(await editor.page.getByRole('status').textContent()).toContain('Förfrågan är godkänd');
	expect(await editor.page.locator('#decided + ul').textContent()).toMatch(/Kiruna kommun:\s+Godkänd/);
	// After the first one by its number: the other journeys' mail comes in between.
	const approved = await mailTo(asker.email, Number(received.file.slice(0, 4)));
	expect(approved.subject).toBe('Du har fått tillgång för Kiruna kommun');
	await editor.context.close();

	// Signing in again, they land on their organization, with its profile and members a click away.
	await page.getByRole('button', { name: 'Logga ut' }).click();
	await page.waitForURL(/notice=signed-out/);
	await page.goto('/sign-in');
	await page.getByLabel('E-postadress').fill(asker.email);
	await page.getByLabel('Lösenord').fill(asker.password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	await page.waitForURL(/\/organizations\/kiruna-kommun$/);
	expect(await page.getByRole('link', { name: 'Profil i Hitta partner' }).count()).toBe(1);
	await page.getByRole('link', { name: 'Medlemmar' }).click();
	await page.waitForURL(/\/organizations\/kiruna-kommun\/members$/);
	expect(await page.locator('tbody').textContent()).toContain('Administratör');
	expect(await axeViolations(page)).toEqual([]);

	const invited = 'kollega-kiruna@example.se';
	const sent = lastMail();
	await page.getByLabel('E-postadress').fill(invited);
	await page.getByRole('button', { name: 'Bjud in' }).click();
	await page.waitForSelector('[role=status]');
	expect(await page.getByRole('status').textContent()).toBe(`${invited} är inbjuden och tillagd.`);
	expect(await page.locator('tbody').textContent()).toContain(invited);
	expect((await mailTo(invited, sent)).subject).toBe('Du är inbjuden till Partnerskap för lokal demokrati');
	// The only administrator cannot step down; the message stands by their row.
	await page.getByRole('button', { name: /^Inte längre administratör: / }).click();
	await page.waitForSelector('.error-summary');
	expect(await page.locator('.error-summary').textContent()).toContain('minst en administratör');

	// In English too, and at 320 px without sideways scrolling.
	await page.goto('/en/organizations/kiruna-kommun/members');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Members of Kiruna Municipality');
	expect(await axeViolations(page)).toEqual([]);
	await page.setViewportSize({ width: 320, height: 800 });
	for (const address of ['/en/organizations/request-access', '/organizations/kiruna-kommun/members']) {
		await page.goto(address);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
		expect(await axeViolations(page)).toEqual([]);
	}
	await context.close();
});

test('someone names an organization not on the platform; an editor adds it, approves, and the mail names it', async () => {
	// The person of the first journey (their request is decided: they may ask again).
	const { page, context } = await openSignedIn();
	await page.goto('/organizations/request-access');
	await page.getByLabel('Organisationens namn').fill('Mahalapye District Council');
	// The country list is long: its search box shortens it too.
	await page.getByLabel('Sök bland länderna').fill('botsw');
	expect(await page.locator('#proposedCountry option').allTextContents()).toEqual(['', 'Botswana']);
	await page.getByLabel('Land', { exact: true }).selectOption({ label: 'Botswana' });
	await page.getByLabel('Din roll i organisationen').fill('Planeringschef');
	const before = lastMail();
	await page.getByRole('button', { name: 'Skicka förfrågan' }).click();
	await page.waitForURL(/\?sent$/);
	expect(await page.locator('#own-requests + ul').textContent()).toContain('Mahalapye District Council');
	const received = await mailTo(asker.email, before);
	expect(received.subject).toBe('Vi har fått din förfrågan');

	// The editor sees the name asked for, adds the organization, and chooses it in the request.
	const editor = await openAs(browser, 'partnerEditor');
	await editor.page.goto('/admin/access-requests');
	const request = editor.page.locator('article.access-request', { hasText: 'Mahalapye District Council' });
	expect(await request.textContent()).toContain('Botswana');
	await editor.page.goto('/admin/organizations');
	await editor.page.locator('#name_sv').fill('Mahalapye District Council');
	await editor.page.locator('#name_en').fill('Mahalapye District Council');
	await editor.page.locator('#kind').selectOption('district');
	await editor.page.locator('#country').selectOption({ label: 'Botswana' });
	await editor.page.locator('#lat').fill('-23,10');
	await editor.page.locator('#lon').fill('26,82');
	await editor.page.getByRole('button', { name: 'Lägg till' }).click();
	await editor.page.getByRole('status').filter({ hasText: 'Organisationen är tillagd.' }).waitFor();
	await editor.page.goto('/admin/access-requests');
	await request.getByRole('combobox').selectOption({ label: 'Mahalapye District Council' });
	await request.getByRole('button', { name: 'Godkänn' }).click();
	await editor.page.waitForSelector('[role=status]');
	expect(await editor.page.locator('#decided + ul').textContent()).toMatch(
		/Mahalapye District Council:\s+Godkänd/
	);
	expect((await mailTo(asker.email, Number(received.file.slice(0, 4)))).subject).toBe(
		'Du har fått tillgång för Mahalapye District Council'
	);
	await editor.context.close();
	await context.close();
});

/** The asker, signed in afresh. */
async function openSignedIn() {
	const opened = await open(browser);
	await opened.page.goto('/sign-in');
	await opened.page.getByLabel('E-postadress').fill(asker.email);
	await opened.page.getByLabel('Lösenord').fill(asker.password);
	await opened.page.getByRole('button', { name: 'Logga in' }).click();
	await opened.page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
	return opened;
}
