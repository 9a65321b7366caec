import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { axeViolations, baseUrl, fileOnDisk, launch, open, openAs } from './browser.ts';
import { people } from './people.ts';
import {
	blackAndWhitePng,
	jpegWithGps,
	png,
	textNamedJpg,
	tinyPdf
} from '../../src/lib/server/media/test-files.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

async function signIn(page: Page, email: string, password: string) {
	await page.getByLabel('E-postadress').fill(email);
	await page.getByLabel('Lösenord').fill(password);
	await page.getByRole('button', { name: 'Logga in' }).click();
}

/** A file's entry in the library, by its (safe) file name. */
const item = (page: Page, fileName: string) =>
	page.locator('li.media-item', {
		has: page.getByRole('heading', { level: 3, name: fileName, exact: true })
	});

async function upload(
	page: Page,
	file: { name: string; mimeType: string; buffer: Buffer } | string,
	alt: { sv?: string; en?: string }
) {
	await page.getByLabel('Fil', { exact: true }).setInputFiles(file);
	await page
		.getByLabel('Alternativtext på svenska')
		.first()
		.fill(alt.sv ?? '');
	await page
		.getByLabel('Alternativtext på engelska')
		.first()
		.fill(alt.en ?? '');
	await page.getByRole('button', { name: 'Ladda upp', exact: true }).click();
	await page.waitForLoadState();
}

test('an author uploads a photo and a PDF, is refused a text file called .jpg, and the files are served safely', async () => {
	const { page, context } = await open(browser);
	page.setDefaultTimeout(15_000);
	await page.goto('/admin/media');
	await page.waitForURL(/\/sign-in\?to=%2Fadmin%2Fmedia$/);
	await signIn(page, people.author.email, people.author.password);
	await page.waitForURL(/\/admin\/media$/);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mediebibliotek');
	// The page sends no JavaScript: everything below is plain forms (axe needs a context with it on).
	expect(await page.locator('script').count()).toBe(0);
	expect(await axeViolations(page)).toEqual([]);

	// A photo with GPS in its EXIF, with alt text in both languages.
	await upload(
		page,
		{ name: 'Möte i Peja.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1200, 800) },
		{ sv: 'Deltagare vid ett medborgarmöte i Peja', en: 'People at a citizen meeting in Peja' }
	);
	expect(await page.getByRole('status').first().textContent()).toBe('mote-i-peja.jpg är uppladdad.');
	const photo = item(page, 'mote-i-peja.jpg');
	const status = await photo.locator('.alt-status').textContent();
	expect(status).toContain('Finns på svenska');
	expect(status).toContain('Finns på engelska');
	expect(status).not.toContain('Saknas');
	const thumbnail = photo.getByRole('img');
	expect(await thumbnail.getAttribute('alt')).toBe('Deltagare vid ett medborgarmöte i Peja');
	const srcset = (await thumbnail.getAttribute('srcset'))!;
	expect(srcset).toMatch(
		/^\/media\/[0-9a-f]{32}\/320\.webp 320w, \/media\/[0-9a-f]{32}\/640\.webp 640w, \/media\/[0-9a-f]{32}\/800\.webp 800w$/
	);
	// The thumbnail really loaded in the browser.
	expect(await thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
		true
	);

	// Served to anyone (no cookie), as WebP without metadata, cached for good.
	const src = `${baseUrl()}${(await thumbnail.getAttribute('src'))!}`;
	const image = await fetch(src);
	expect(image.status).toBe(200);
	expect(image.headers.get('content-type')).toBe('image/webp');
	expect(image.headers.get('x-content-type-options')).toBe('nosniff');
	expect(image.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
	const etag = image.headers.get('etag')!;
	expect(etag).toMatch(/^"[0-9a-f]{32}-320\.webp"$/);
	const served = Buffer.from(await image.arrayBuffer());
	const meta = await sharp(served).metadata();
	expect([meta.format, meta.width, meta.exif]).toEqual(['webp', 320, undefined]);
	expect(meta.height).toBe(480);
	expect(served.includes('Testkamera')).toBe(false);
	expect((await fetch(src, { headers: { 'if-none-match': etag } })).status).toBe(304);
	// Only widths that exist, only real keys.
	expect((await fetch(src.replace('/320.webp', '/1600.webp'))).status).toBe(404);
	expect((await fetch(src.replace(/[0-9a-f]{32}/, 'f'.repeat(32)))).status).toBe(404);
	expect((await fetch(`${baseUrl()}/media/nonsense/320.webp`)).status).toBe(404);

	// Text named .jpg: refused by its bytes, with the message by the field; the alt text stays.
	await upload(
		page,
		{ name: 'semester.jpg', mimeType: 'image/jpeg', buffer: textNamedJpg },
		{ sv: 'Strand i solnedgång', en: 'A beach at sunset' }
	);
	expect(await page.locator('#upload-file-error').textContent()).toBe(
		'Fil: Filen måste vara en JPEG-, PNG- eller WebP-bild eller en PDF. Typen avgörs av innehållet, inte av filnamnet.'
	);
	expect(await page.getByLabel('Fil', { exact: true }).getAttribute('aria-invalid')).toBe('true');
	expect(await page.locator('#upload-alt-sv').inputValue()).toBe('Strand i solnedgång');
	expect(await page.locator('#upload-alt-en').inputValue()).toBe('A beach at sunset');
	expect(await item(page, 'semester.jpg').count()).toBe(0);
	expect(await axeViolations(page)).toEqual([]);

	// An image without any alt text is refused; the message sits with the alt fields.
	await upload(page, { name: 'karta.png', mimeType: 'image/png', buffer: await png(500, 300) }, {});
	expect(await page.locator('#upload-alt-error').textContent()).toBe(
		'Alternativtext: Skriv en alternativtext som beskriver bilden.'
	);

	// Over 10 MB: refused with a message, not an error page.
	const big = Buffer.alloc(10 * 1024 * 1024 + 1000);
	tinyPdf().copy(big);
	await upload(page, fileOnDisk('stor.pdf', big), {});
	expect(await page.locator('#upload-file-error').textContent()).toBe('Fil: Filen får vara högst 10 MB.');
	// Over the server's body limit (BODY_SIZE_LIMIT, 11 MB): the same message, not an error page.
	const huge = Buffer.alloc(12 * 1024 * 1024);
	tinyPdf().copy(huge);
	await upload(page, fileOnDisk('enorm.pdf', huge), {});
	expect(await page.locator('#upload-file-error').textContent()).toBe('Fil: Filen får vara högst 10 MB.');

	// A PDF: kept as it is, served as a download under a safe name.
	const pdf = tinyPdf();
	await upload(page, { name: 'Årsrapport 2024.pdf', mimeType: 'application/pdf', buffer: pdf }, {});
	expect(await page.getByRole('status').first().textContent()).toBe('arsrapport-2024.pdf är uppladdad.');
	const link = item(page, 'arsrapport-2024.pdf').getByRole('link', { name: 'Ladda ner arsrapport-2024.pdf' });
	const href = (await link.getAttribute('href'))!;
	expect(href).toMatch(/^\/media\/[0-9a-f]{32}\/arsrapport-2024\.pdf$/);
	const document = await fetch(baseUrl() + href);
	expect(document.status).toBe(200);
	expect(document.headers.get('content-type')).toBe('application/pdf');
	expect(document.headers.get('content-disposition')).toBe(
		`attachment; filename="arsrapport-2024.pdf"; filename*=UTF-8''arsrapport-2024.pdf`
	);
	expect(document.headers.get('x-content-type-options')).toBe('nosniff');
	expect(Buffer.from(await document.arrayBuffer()).equals(pdf)).toBe(true);
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	expect(download.suggestedFilename()).toBe('arsrapport-2024.pdf');
	expect((await fetch(baseUrl() + href.replace('arsrapport-2024', 'annat'))).status).toBe(404);

	// Authors upload and describe but do not delete.
	expect(await page.getByRole('button', { name: /^Ta bort/ }).count()).toBe(0);
	expect(await axeViolations(page)).toEqual([]);
	await page.goto('/en/admin/media');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Media library');
	expect(await item(page, 'mote-i-peja.jpg').locator('.alt-status').textContent()).toContain(
		'Present in English'
	);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('an image with Swedish alt text only is shown as missing English until someone writes it', async () => {
	const { page, context } = await open(browser);
	page.setDefaultTimeout(15_000);
	await page.goto('/sign-in?to=/admin/media');
	await signIn(page, people.author.email, people.author.password);
	await page.waitForURL(/\/admin\/media$/);
	await upload(
		page,
		{ name: 'Karta Ghanzi.png', mimeType: 'image/png', buffer: await png(700, 400) },
		{ sv: 'Karta över Ghanzi' }
	);
	const map = item(page, 'karta-ghanzi.png');
	expect(await map.locator('.alt-status').textContent()).toContain('Saknas på engelska');

	await map.getByText('Ändra alternativtext').click();
	await map.getByLabel('Alternativtext på engelska').fill('Map of Ghanzi district');
	await map.getByRole('button', { name: 'Spara alternativtext' }).click();
	await page.waitForLoadState();
	expect(await page.getByRole('status').first().textContent()).toBe(
		'Alternativtexten för karta-ghanzi.png är sparad.'
	);
	const status = await item(page, 'karta-ghanzi.png').locator('.alt-status').textContent();
	expect(status).toContain('Finns på engelska');
	expect(status).toContain('Map of Ghanzi district');

	// Both emptied: refused, and the form stays open with what was typed.
	await item(page, 'karta-ghanzi.png').getByText('Ändra alternativtext').click();
	await item(page, 'karta-ghanzi.png').getByLabel('Alternativtext på svenska').fill('');
	await item(page, 'karta-ghanzi.png').getByLabel('Alternativtext på engelska').fill(' ');
	await item(page, 'karta-ghanzi.png').getByRole('button', { name: 'Spara alternativtext' }).click();
	await page.waitForLoadState();
	expect(await item(page, 'karta-ghanzi.png').locator('p.form-error').textContent()).toBe(
		'Alternativtext: Skriv en alternativtext som beskriver bilden.'
	);
	expect(await item(page, 'karta-ghanzi.png').locator('.error-summary').textContent()).toContain(
		'Skriv en alternativtext som beskriver bilden.'
	);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('an image over the pixel limit is refused with its size and the limit, as each language writes numbers', async () => {
	const { page, context } = await openAs(browser, 'mediaEditor');
	page.setDefaultTimeout(15_000);
	// 120 megapixels in a 64 KB file; the limit is MEDIA_MAX_MEGAPIXELS (100 by default).
	const bomb = { name: 'Flygfoto.png', mimeType: 'image/png', buffer: blackAndWhitePng(12000, 10000) };
	await page.goto('/admin/media');
	await upload(page, bomb, { sv: 'Flygfoto över Peja' });
	expect(await page.locator('#upload-file-error').textContent()).toBe(
		'Fil: Bilden är 12\u00a0000 × 10\u00a0000 pixlar (120 megapixlar); gränsen är 100 megapixlar. Gör den mindre och ladda upp den igen.'
	);
	expect(await page.locator('#upload-alt-sv').inputValue()).toBe('Flygfoto över Peja');
	expect(await item(page, 'flygfoto.png').count()).toBe(0);

	await page.goto('/en/admin/media');
	await page.getByLabel('File', { exact: true }).setInputFiles(bomb);
	await page.getByLabel('Alternative text in English').first().fill('Aerial photo of Peja');
	await page.getByRole('button', { name: 'Upload', exact: true }).click();
	await page.waitForLoadState();
	expect(await page.locator('#upload-file-error').textContent()).toBe(
		'File: The image is 12,000 × 10,000 pixels (120 megapixels); the limit is 100 megapixels. Make it smaller and upload it again.'
	);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('an editor deletes a file: it leaves the list and its address answers 404', async () => {
	// Signed in by the set-up, with the second factor an editor needs for the workspace.
	const { page, context } = await openAs(browser, 'mediaEditor');
	page.setDefaultTimeout(15_000);
	await page.goto('/admin/media');
	await upload(
		page,
		{ name: 'bort.png', mimeType: 'image/png', buffer: await png(400, 400) },
		{ sv: 'Ska tas bort' }
	);
	const src = `${baseUrl()}${(await item(page, 'bort.png').getByRole('img').getAttribute('src'))!}`;
	expect((await fetch(src)).status).toBe(200);
	await item(page, 'bort.png').getByRole('button', { name: 'Ta bort bort.png' }).click();
	await page.waitForLoadState();
	expect(await page.getByRole('status').first().textContent()).toBe('bort.png är borttagen.');
	expect(await item(page, 'bort.png').count()).toBe(0);
	expect((await fetch(src)).status).toBe(404);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});
