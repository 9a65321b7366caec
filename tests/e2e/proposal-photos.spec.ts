import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, fileOnDisk, launch, open, openAs, sessionOf } from './browser.ts';
import { jpegWithGps, textNamedJpg } from '../../src/lib/server/media/test-files.ts';

// Issue 10: a participant writes a proposal with a photo, without JavaScript (a multipart form):
// a bad file and a missing alt text come back at their fields with the text as typed and a clear
// request to choose the photo again; then it is saved and shown in responsive sizes with its alt
// text; the author's edit form shows it and can remove it (its address then answers 404). Both pages
// pass axe. A photo over the limit never costs the typed text: with JavaScript the page refuses it
// before sending; without, the server reads the text of a form it can read. A proposal's photo is
// served to everyone only while the proposal is public.

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
	// Public, but asked for again on every use: a moderator may hide it.
	const visitor = await open(browser, { javaScriptEnabled: false });
	const seen = await visitor.context.request.get(src);
	expect([seen.status(), seen.headers()['cache-control']]).toEqual([200, 'public, no-cache']);
	await visitor.context.close();

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
	// With JavaScript, a photo over 10 MB is refused before it is sent, on both forms: the page
	// stays, with all that was typed, and the message at the field.
	for (const address of [`/dialogue/${ale}/proposals/new`, `${proposal}/edit`]) {
		await checked.goto(address);
		// Typed only once the page's code has run (it holds the check).
		await checked.waitForLoadState('networkidle');
		await fillText(checked, 'Vattenlek i parken');
		await checked.locator('#proposalPhoto').setInputFiles(huge());
		await checked.locator('#proposalPhotoAlt').fill(alt);
		await checked.getByRole('button', { name: /Skicka förslaget|Spara ändringarna/ }).click();
		await checked.locator('#proposalPhoto-error').waitFor();
		expect(new URL(checked.url()).pathname, address).toBe(address);
		expect(await summary(checked)).toEqual(['Bild: Bilden får vara högst 10 MB.']);
		expect(await typedText(checked)).toEqual(['Vattenlek i parken', body, 'Parken', alt]);
		expect(await axeViolations(checked), address).toEqual([]);
	}
	await withJs.context.close();

	// Without JavaScript: a photo just over 10 MB still leaves a form the server reads, so the text
	// comes back as typed; a body over the server's limit cannot be read at all, and the page says
	// the text did not arrive (with JavaScript, the check above never lets it go).
	await page.goto(`/dialogue/${ale}/proposals/new`);
	await fillText(page, 'Vattenlek i parken');
	await page.locator('#proposalPhoto').setInputFiles(huge());
	await page.locator('#proposalPhotoAlt').fill(alt);
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual(['Bild: Bilden får vara högst 10 MB.']);
	expect(await typedText(page)).toEqual(['Vattenlek i parken', body, 'Parken', alt]);
	await page
		.locator('#proposalPhoto')
		.setInputFiles(fileOnDisk('storre.jpg', Buffer.alloc(12 * 1024 * 1024, 1)));
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.locator('.error-summary').waitFor();
	expect((await summary(page))[0]).toContain('kunde inte tas emot');

	// The author's edit shows it and removes it with a tick.
	await page.goto(`${proposal}/edit`);
	expect(await page.locator('.photo figure img').getAttribute('alt')).toBe(alt);
	await page.getByLabel('Ta bort bilden').check();
	await page.getByRole('button', { name: 'Spara ändringarna' }).click();
	await page.waitForURL(new RegExp(`${proposal}\\?saved$`));
	expect(await page.locator('.photo img').count()).toBe(0);
	// It left the library with the edit: its address answers nobody, its author included.
	expect((await context.request.get(src)).status()).toBe(404);
	await context.close();
	// Its uploads take their turn with the other journeys' uploads (one image is decoded at a time):
	// on a busy machine that is more than a minute.
}, 150_000);

test('a proposal’s photo is unreachable while the proposal is hidden, except to its author and moderators', async () => {
	// Written over HTTP as a browser sends the form (the journey above shows the form itself).
	const form = new FormData();
	form.set('proposalTitle', 'Sandlåda med tak vid förskolan i Skepplanda');
	form.set('proposalBody', body);
	form.set('proposalPlace', 'Skepplanda');
	form.set(
		'proposalPhoto',
		new Blob([new Uint8Array(await jpegWithGps(640, 480))], { type: 'image/jpeg' }),
		'lada.jpg'
	);
	form.set('proposalPhotoAlt', alt);
	form.set('anyway', '1');
	const author = sessionOf('tableAuthor').cookie;
	const sent = await post(`/dialogue/${ale}/proposals/new`, author, form);
	expect(sent.status).toBe(303);
	const proposal = new URL(sent.headers.get('location')!, baseUrl()).pathname;
	const writer = await openAs(browser, 'tableAuthor', { javaScriptEnabled: false });
	await writer.page.goto(proposal);
	const src = (await writer.page.locator('.photo img').getAttribute('src'))!;
	const id = Number(/\/proposals\/(\d+)$/.exec(proposal)![1]);

	// A moderator (an editor) hides it with a public reason.
	const decision = new FormData();
	decision.set('proposal', String(id));
	decision.set('reason', 'Bilden visar ett barns ansikte (påhittat exempel).');
	const hidden = await post(
		`/dialogue/${ale}/manage/moderation?/hide`,
		sessionOf('partnerEditor').cookie,
		decision
	);
	expect(hidden.status).toBeLessThan(400);

	const visitor = await fetch(`${baseUrl()}${src}`);
	expect(visitor.status).toBe(404);
	const own = await writer.context.request.get(src);
	expect([own.status(), own.headers()['cache-control']]).toEqual([200, 'private, no-store']);
	const moderator = await fetch(`${baseUrl()}${src}`, {
		headers: { cookie: sessionOf('partnerEditor').cookie }
	});
	expect([moderator.status, moderator.headers.get('cache-control')]).toEqual([200, 'private, no-store']);
	const someoneElse = await fetch(`${baseUrl()}${src}`, {
		headers: { cookie: sessionOf('tableReader').cookie }
	});
	expect(someoneElse.status).toBe(404);
	await writer.context.close();
});

/** A form posted as a signed-in browser would (same origin, an HTML answer, no redirect followed). */
function post(path: string, cookie: string, body: FormData) {
	return fetch(`${baseUrl()}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseUrl(), accept: 'text/html', cookie },
		body
	});
}

/** Just over 10 MB: over the photo limit, under the server's body limit (11 MB). */
/** A photo just over 10 MB, written once. */
let hugeFile: string | undefined;
const huge = () => (hugeFile ??= fileOnDisk('stor.jpg', Buffer.alloc(10 * 1024 * 1024 + 1024, 1)));

async function fillText(page: Page, title: string) {
	await page.locator('#proposalTitle').fill(title);
	await page.locator('#proposalBody').fill(body);
	await page.locator('#proposalPlace').fill('Parken');
}

const typedText = (page: Page) =>
	Promise.all(
		['#proposalTitle', '#proposalBody', '#proposalPlace', '#proposalPhotoAlt'].map((f) =>
			page.locator(f).inputValue()
		)
	);
