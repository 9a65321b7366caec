import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launch, openAs } from './browser.ts';
import { jpegWithGps, textNamedJpg } from '../../src/lib/server/media/test-files.ts';

// Issue 10: a participant writes a proposal with a photo, without JavaScript (a multipart form):
// a bad file and a missing alt text come back at their fields with the text as typed and a clear
// request to choose the photo again; then it is saved and shown in responsive sizes with its alt
// text; the author's edit form shows it and can remove it. Both pages pass axe.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const ale = 'unga-i-ale-vara-med-och-paverka';
const title = 'Cykelpump vid biblioteket i Nödinge';
const body =
	'En cykelpump som alla kan använda vid biblioteket i Nödinge, så att den som cyklar dit kan pumpa däcken.';
const alt = 'En cykel med ett platt bakdäck framför en tegelvägg';

const summary = (page: Page) => page.locator('.error-summary li').allTextContents();

test('a participant adds a photo to a proposal without JavaScript; bad files come back at the field', async () => {
	const { page, context } = await openAs(browser, 'tableAuthor', { javaScriptEnabled: false });
	page.setDefaultTimeout(15_000);
	const jpeg = await jpegWithGps(1200, 800);
	await page.goto(`/dialogue/${ale}/proposals/new`);
	await page.locator('#proposalTitle').fill(title);
	await page.locator('#proposalBody').fill(body);

	// Text named like a photo: refused by its bytes, the text kept, the photo asked for again.
	await page
		.locator('#proposalPhoto')
		.setInputFiles({ name: 'pump.jpg', mimeType: 'image/jpeg', buffer: textNamedJpg });
	await page.locator('#proposalPhotoAlt').fill(alt);
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual([
		'Bild: Bilden måste vara en JPEG-, PNG- eller WebP-fil. Typen avgörs av innehållet, inte av filnamnet.'
	]);
	expect(await page.locator('#proposalTitle').inputValue()).toBe(title);
	expect(await page.locator('#proposalBody').inputValue()).toBe(body);
	expect(await page.locator('#proposalPhotoAlt').inputValue()).toBe(alt);
	expect(await page.locator('#proposalPhoto-again').textContent()).toContain('Välj den igen');
	expect(await page.locator('#proposalPhoto').getAttribute('aria-describedby')).toContain(
		'proposalPhoto-error'
	);

	// A real photo without its alt text.
	await page
		.locator('#proposalPhoto')
		.setInputFiles({ name: 'pump.jpg', mimeType: 'image/jpeg', buffer: jpeg });
	await page.locator('#proposalPhotoAlt').fill('');
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual(['Beskrivning av bilden (alternativtext): Beskriv vad bilden visar.']);

	// Both: saved, and shown in its sizes with its alt text.
	await page
		.locator('#proposalPhoto')
		.setInputFiles({ name: 'pump.jpg', mimeType: 'image/jpeg', buffer: jpeg });
	await page.locator('#proposalPhotoAlt').fill(alt);
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.waitForURL(new RegExp(`/dialogue/${ale}/proposals/\\d+$`));
	const proposal = new URL(page.url()).pathname;
	const img = page.locator('.photo img');
	expect(await img.getAttribute('alt')).toBe(alt);
	expect(await img.getAttribute('srcset')).toMatch(/320\.webp 320w, .*640\.webp 640w, .*800\.webp 800w$/);
	const src = (await img.getAttribute('src'))!;
	const served = await context.request.get(src);
	expect(served.status()).toBe(200);
	expect(served.headers()['content-type']).toBe('image/webp');

	// axe runs in the page, so with JavaScript: the form sent back, the proposal, the edit form.
	const withJs = await openAs(browser, 'tableAuthor');
	const checked = withJs.page;
	checked.setDefaultTimeout(15_000);
	await checked.goto(`/dialogue/${ale}/proposals/new`);
	await checked.locator('#proposalTitle').fill('Laddstolpar för elcyklar vid simhallen');
	await checked.locator('#proposalBody').fill(body);
	await checked
		.locator('#proposalPhoto')
		.setInputFiles({ name: 'pump.jpg', mimeType: 'image/jpeg', buffer: textNamedJpg });
	await checked.locator('#proposalPhotoAlt').fill(alt);
	await checked.getByRole('button', { name: 'Skicka förslaget' }).click();
	await checked.locator('#proposalPhoto-error').waitFor();
	expect(await axeViolations(checked)).toEqual([]);
	for (const address of [proposal, `${proposal}/edit`]) {
		await checked.goto(address);
		expect(await axeViolations(checked), address).toEqual([]);
	}
	await withJs.context.close();

	// The author's edit shows it and removes it with a tick.
	await page.goto(`${proposal}/edit`);
	expect(await page.locator('.photo figure img').getAttribute('alt')).toBe(alt);
	await page.getByLabel('Ta bort bilden').check();
	await page.getByRole('button', { name: 'Spara ändringarna' }).click();
	await page.waitForURL(new RegExp(`${proposal}\\?saved$`));
	expect(await page.locator('.photo img').count()).toBe(0);
	await context.close();
});
