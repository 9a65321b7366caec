import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const slug = 'lyssnande-byarad-i-ghanzi';

/**
 * Waits for the page's confirmation: the editor's forms are sent without leaving the page, so the
 * answer shows when it comes, not when a new page loads.
 */
async function confirmed(page: Page, text: string) {
	await page.getByRole('status').filter({ hasText: text }).waitFor();
	expect(await page.getByRole('status').first().textContent()).toBe(text);
}

/** Types into one language's TipTap editor (the contenteditable labelled by the field). */
async function typeBody(page: Page, lang: 'sv' | 'en', text: string) {
	const surface = page.locator(`[aria-labelledby="body_${lang}-label"][contenteditable="true"]`);
	await surface.click();
	await page.keyboard.type(text);
}

test('an author writes in both languages with an image, an editor publishes, and a revision is restored', async () => {
	// The author (signed in by the set-up): uploads a photo with alt text in both languages.
	const { page, context } = await openAs(browser, 'writer');
	await page.goto('/admin/media');
	const photo = await sharp({ create: { width: 1400, height: 900, channels: 3, background: '#2a6f4e' } })
		.jpeg()
		.toBuffer();
	await page
		.getByLabel('Fil', { exact: true })
		.setInputFiles({ name: 'byrad.jpg', mimeType: 'image/jpeg', buffer: photo });
	await page.getByLabel('Alternativtext på svenska').first().fill('Byrådet samlat i skuggan av ett träd');
	await page
		.getByLabel('Alternativtext på engelska')
		.first()
		.fill('The village council gathered under a tree');
	await page.getByRole('button', { name: 'Ladda upp' }).click();
	await page.waitForLoadState();

	// … writes the article side by side, with the image in both texts.
	await page.goto('/admin/articles/new');
	// Type only once the page has hydrated (the editors mount), or hydration could undo it.
	await page.locator('[contenteditable="true"]').first().waitFor();
	expect(await axeViolations(page)).toEqual([]);
	// The address follows the title until one is typed.
	await page.getByLabel('Titel (svenska)').fill('Lyssnande byråd i Ghanzi');
	expect(await page.getByLabel('Adress').inputValue()).toBe('lyssnande-byrad-i-ghanzi');
	await page.getByLabel('Adress').fill(slug);
	await page.getByLabel('Titel (svenska)').fill('Lyssnande byråd i Ghanzi');
	expect(await page.getByLabel('Adress').inputValue()).toBe(slug);
	await page.getByLabel('Typ', { exact: true }).selectOption('method');
	await page
		.getByLabel('Ingress (svenska)')
		.fill('Byråden samlar invånarnas frågor innan kommunen budgeterar.');
	await typeBody(page, 'sv', 'Varje månad möts byrådet under trädet. ');
	const sv = page.locator('section', { has: page.locator('#lang-sv') });
	// The toolbar is one tab stop; arrow keys move along it.
	const toolbar = sv.getByRole('toolbar', { name: 'Textformat' });
	expect(await toolbar.locator('button[tabindex="0"]').count()).toBe(1);
	await toolbar.getByRole('button').first().focus();
	await page.keyboard.press('ArrowRight');
	expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Kursiv');
	await page.keyboard.press('End');
	expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Gör om');
	expect(await toolbar.locator('button[tabindex="0"]').count()).toBe(1);
	await sv.getByRole('button', { name: 'Bild' }).click();
	// The picker shows each image small, chosen by its picture and alt text.
	const choice = sv.getByRole('radio', { name: 'Byrådet samlat i skuggan av ett träd' });
	expect(await sv.locator('.image-choice img').first().getAttribute('src')).toMatch(
		/\/media\/[0-9a-f]{32}\/\d+\.webp$/
	);
	await choice.check();
	await sv.getByRole('button', { name: 'Infoga bild' }).click();
	await page.getByLabel('Titel (engelska)').fill('Listening village councils in Ghanzi');
	await page
		.getByLabel('Ingress (engelska)')
		.fill('Village councils gather residents’ questions before the budget.');
	await typeBody(page, 'en', 'Every month the village council meets under the tree. ');
	const en = page.locator('section', { has: page.locator('#lang-en') });
	await en.getByRole('button', { name: 'Bild' }).click();
	await en.getByRole('radio', { name: 'The village council gathered under a tree' }).check();
	await en.getByRole('button', { name: 'Infoga bild' }).click();
	// The principle's box is named with its kind, apart from the targets that speak of participation.
	await page.getByRole('checkbox', { name: 'Deltagande (princip)', exact: true }).check();
	await page.locator('summary', { hasText: 'Delmål under mål 16' }).click();
	await page.locator('input[name="targets"][value="16.7"]').check();
	await page.getByRole('button', { name: 'Skapa utkast' }).click();
	await page.waitForURL(/\/admin\/articles\/\d+\?created$/);
	const editorUrl = page.url().replace(/\?created$/, '');
	expect(await page.getByRole('status').first().textContent()).toBe('Utkastet är skapat.');
	expect(await page.locator('.translation-status').allTextContents()).toEqual([
		'Översättningsstatus: Klar',
		'Översättningsstatus: Klar'
	]);

	// … cannot publish: no button, and posting the step anyway is refused.
	expect(await page.getByRole('button', { name: 'Publicera nu' }).count()).toBe(0);
	const forbidden = await page.evaluate(async (url) => {
		const r = await fetch(`${url}?/step`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: 'step=publish'
		});
		return r.status;
	}, editorUrl);
	expect(forbidden).toBe(403);
	// An edit not yet saved: following a link asks first, and staying keeps it.
	const teaser = 'Byråden samlar invånarnas frågor innan kommunen gör sin budget.';
	await page.getByLabel('Ingress (svenska)').fill(teaser);
	const asked = new Promise<string>((resolve) =>
		page.once('dialog', (dialog) => {
			resolve(dialog.message());
			void dialog.dismiss();
		})
	);
	await page.getByRole('link', { name: 'Versioner' }).click();
	expect(await asked).toBe('Du har ändringar som inte är sparade. Vill du lämna sidan ändå?');
	expect(new URL(page.url()).pathname).toBe(new URL(editorUrl).pathname);
	// The status button saves the edit first, then takes the step.
	await page.getByRole('button', { name: 'Skicka till granskning' }).click();
	await confirmed(page, 'Formuläret sparades och artikeln har nu status: Granskas.');
	expect(await axeViolations(page)).toEqual([]);
	await page.reload();
	expect(await page.getByLabel('Ingress (svenska)').inputValue()).toBe(teaser);
	await context.close();

	// Not public yet.
	expect((await fetch(`${baseUrl()}/inspiration/${slug}`)).status).toBe(404);

	// The editor: finds it among those in review, previews and publishes.
	// Signed in by the set-up, with the second factor an editor needs for the workspace.
	const editor = await openAs(browser, 'publisher');

	await editor.page.goto('/admin/articles?status=review');
	expect(await axeViolations(editor.page)).toEqual([]);
	await editor.page.getByRole('link', { name: 'Lyssnande byråd i Ghanzi' }).click();
	await editor.page.waitForURL(editorUrl);
	// The editor's link to the English preview leads to the English address of the preview.
	const previewPath = new URL(editorUrl).pathname.replace('/admin/', '/en/admin/') + '/preview';
	expect(
		await editor.page.getByRole('link', { name: 'Förhandsgranska på engelska' }).getAttribute('href')
	).toBe(previewPath);
	await editor.page.goto(editorUrl.replace('/admin/', '/en/admin/') + '/preview');
	expect(await editor.page.locator('h1').textContent()).toBe('Listening village councils in Ghanzi');
	expect(await editor.page.locator('.prose img').getAttribute('alt')).toBe(
		'The village council gathered under a tree'
	);
	// In review, not out yet: the preview claims no publication date, in either language.
	expect((await editor.page.locator('.article .card-meta').textContent())?.trim()).toMatch(
		/^Not published yet/
	);
	expect(await editor.page.locator('.article .card-meta time').count()).toBe(0);
	expect(await axeViolations(editor.page)).toEqual([]);
	await editor.page.goto(editorUrl + '/preview');
	expect(await editor.page.locator('h1').textContent()).toBe('Lyssnande byråd i Ghanzi');
	expect((await editor.page.locator('.article .card-meta').textContent())?.trim()).toMatch(
		/^Inte publicerad än/
	);
	expect(await editor.page.locator('.article .card-meta time').count()).toBe(0);
	await editor.page.goto(editorUrl);
	// Once the page has hydrated: its script then says the form is unchanged, and the step is taken
	// alone. (A click before that posts the form without the script, which saves it first: CI's
	// clean clone once clicked that early.)
	await editor.page.locator('input[name="edited"][value="no"]').waitFor({ state: 'attached' });
	await editor.page.getByRole('button', { name: 'Publicera nu' }).click();
	await confirmed(editor.page, 'Artikeln har nu status: Publicerad.');

	// At once in the listing, search and feed, with the image in responsive sizes.
	const visitor = await open(browser, { javaScriptEnabled: false });
	await visitor.page.goto('/inspiration?theme=participation&sdg=16.7');
	const cards = await visitor.page.locator('.card-title').allTextContents();
	expect(cards.some((c) => c.includes('Lyssnande byråd i Ghanzi'))).toBe(true);
	await visitor.page.goto('/search?q=byråd+Ghanzi');
	expect(await visitor.page.locator('main').textContent()).toContain('Lyssnande byråd i Ghanzi');
	const feed = await (await fetch(`${baseUrl()}/en/feed.xml`)).text();
	expect(feed).toContain('Listening village councils in Ghanzi');
	await visitor.page.goto(`/inspiration/${slug}`);
	const img = visitor.page.locator('.prose img');
	expect(await img.getAttribute('alt')).toBe('Byrådet samlat i skuggan av ett träd');
	expect(await img.getAttribute('srcset')).toMatch(/320\.webp 320w, .*640\.webp 640w, .*960\.webp 960w/);
	const variant = await fetch(new URL((await img.getAttribute('src'))!, baseUrl()));
	expect(variant.headers.get('content-type')).toBe('image/webp');

	// The editor changes the title, compares the revisions and restores the first.
	await editor.page.locator('[contenteditable="true"]').first().waitFor();
	await editor.page.getByLabel('Titel (svenska)').fill('Byråd som lyssnar');
	await editor.page.getByRole('button', { name: 'Spara', exact: true }).click();
	await confirmed(editor.page, 'Sparat.');
	await editor.page.getByRole('link', { name: 'Versioner' }).click();
	await editor.page.waitForLoadState();
	expect(await editor.page.locator('.diff del').first().textContent()).toContain('Lyssnande');
	expect(await editor.page.locator('.diff ins').first().textContent()).toContain('som');
	expect(await axeViolations(editor.page)).toEqual([]);
	await editor.page
		.locator('tr', { hasText: 'Skapad' })
		.getByRole('button', { name: /Återställ/ })
		.click();
	await editor.page.waitForLoadState();
	expect(await editor.page.getByRole('status').first().textContent()).toBe(
		'Versionen är återställd och sparad som en ny version.'
	);
	await visitor.page.goto(`/inspiration/${slug}`);
	expect(await visitor.page.locator('h1').textContent()).toBe('Lyssnande byråd i Ghanzi');
	await visitor.context.close();
	await editor.context.close();
});
