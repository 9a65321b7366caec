import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';
import { people } from './people.ts';

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

/** The row of a theme in the editors' tables, by its key. */
const row = (page: Page, key: string) => page.locator('tr', { has: page.locator(`code:text-is("${key}")`) });
const cell = (page: Page, key: string, column: number) => row(page, key).locator('td').nth(column);
const section = (page: Page, heading: string) =>
	page.locator('section', { has: page.getByRole('heading', { level: 2, name: heading }) });

test('an editor adds, renames and merges topics without JavaScript; the public filter follows', async () => {
	// Signed in by the set-up, with the second factor an editor needs for the workspace.
	const { page, context } = await openAs(browser, 'topicsEditor', { javaScriptEnabled: false });
	// A step that cannot happen fails in seconds with its own message, not at the test's time-out.
	page.setDefaultTimeout(10_000);

	await page.goto('/admin/topics');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ämnen');
	// The principles are listed as fixed and offer no rename.
	expect(await row(page, 'participation').locator('td').last().textContent()).toBe('Fast');
	expect(await row(page, 'participation').locator('form').count()).toBe(0);
	const globalisation = Number(await cell(page, 'globalisation', 1).textContent());
	expect(globalisation).toBeGreaterThan(0);

	// Add a topic: its key comes from the Swedish name.
	const add = section(page, 'Lägg till ämne');
	await add.getByLabel('Namn på svenska').fill('Digitalisering');
	await add.getByLabel('Namn på engelska').fill('Digitalisation');
	await add.getByRole('button', { name: 'Lägg till ämne' }).click();
	expect(await page.getByRole('status').textContent()).toBe('Ämnet Digitalisering är tillagt.');
	expect(await cell(page, 'digitalisering', 1).textContent()).toBe('0');

	// The same name again, in other letters: a message by the field, and what was typed stays.
	await add.getByLabel('Namn på svenska').fill('DIGITALISERING');
	await add.getByLabel('Namn på engelska').fill('Going digital');
	await add.getByRole('button', { name: 'Lägg till ämne' }).click();
	expect(await page.locator('#add-sv-error').textContent()).toBe(
		'Namn på svenska: Det finns redan ett ämne med det namnet.'
	);
	expect(await add.getByLabel('Namn på svenska').getAttribute('aria-invalid')).toBe('true');
	expect(await add.getByLabel('Namn på svenska').inputValue()).toBe('DIGITALISERING');
	expect(await add.getByLabel('Namn på engelska').inputValue()).toBe('Going digital');

	// Rename it: the key (and so every address with it) stays.
	await row(page, 'digitalisering').getByText('Byt namn på Digitalisering').click();
	await row(page, 'digitalisering').getByLabel('Namn på svenska').fill('Digital delaktighet');
	await row(page, 'digitalisering').getByLabel('Namn på engelska').fill('Digital participation');
	await row(page, 'digitalisering').getByRole('button', { name: 'Spara namnen' }).click();
	expect(await page.getByRole('status').textContent()).toBe('Ämnet heter nu Digital delaktighet.');
	expect(await row(page, 'digitalisering').locator('th').textContent()).toContain('Digital delaktighet');

	// A second topic of our own, to merge the first into at the end.
	await add.getByLabel('Namn på svenska').fill('Demokrati på nätet');
	await add.getByLabel('Namn på engelska').fill('Online democracy');
	await add.getByRole('button', { name: 'Lägg till ämne' }).click();
	expect(await page.getByRole('status').textContent()).toBe('Ämnet Demokrati på nätet är tillagt.');

	// Merging needs two different topics; the choices stay after the refusal.
	const merge = section(page, 'Slå ihop ämnen');
	await merge.getByLabel('Ämne som ska slås ihop').selectOption('digitalisering');
	await merge.getByLabel('Slå ihop med').selectOption('digitalisering');
	await merge.getByRole('button', { name: 'Slå ihop' }).click();
	expect(await page.locator('#merge-into-error').textContent()).toBe(
		'Slå ihop med: Välj två olika ämnen att slå ihop.'
	);
	expect(await merge.getByLabel('Ämne som ska slås ihop').inputValue()).toBe('digitalisering');

	// The demo topic Globalisering into ours: its articles move, and it is gone.
	await merge.getByLabel('Ämne som ska slås ihop').selectOption('globalisation');
	await merge.getByLabel('Slå ihop med').selectOption('digitalisering');
	await merge.getByRole('button', { name: 'Slå ihop' }).click();
	expect(await page.getByRole('status').textContent()).toBe(
		`Globalisering är ihopslaget med Digital delaktighet. ${globalisation} artikel flyttades.`
	);
	expect(await cell(page, 'digitalisering', 1).textContent()).toBe(String(globalisation));
	expect(await row(page, 'globalisation').count()).toBe(0);

	// Ours into the other of ours: the count moves along.
	await merge.getByLabel('Ämne som ska slås ihop').selectOption('digitalisering');
	await merge.getByLabel('Slå ihop med').selectOption('demokrati-pa-natet');
	await merge.getByRole('button', { name: 'Slå ihop' }).click();
	expect(await cell(page, 'demokrati-pa-natet', 1).textContent()).toBe(String(globalisation));
	expect(await cell(page, 'demokrati-pa-natet', 2).textContent()).toBe(String(globalisation));
	expect(await row(page, 'digitalisering').count()).toBe(0);

	// The public listing's theme filter offers the survivor with its articles, and not the others.
	await page.goto('/inspiration');
	const themes = page.locator('#facet-topic + ul');
	expect(await themes.textContent()).not.toContain('Globalisering');
	expect(await themes.textContent()).not.toContain('Digital delaktighet');
	await themes.getByRole('link', { name: /^Demokrati på nätet/ }).click();
	await page.waitForURL(/\/inspiration\?theme=demokrati-pa-natet$/);
	expect(await page.locator('.facet a[aria-current="true"]').textContent()).toContain(
		`Demokrati på nätet (${globalisation})`
	);
	expect(await page.locator('.card').count()).toBe(globalisation);
	await page.goto('/en/inspiration?theme=demokrati-pa-natet');
	expect(await page.locator('.facet a[aria-current="true"]').textContent()).toContain('Online democracy');
	expect((await page.goto('/inspiration?theme=globalisation'))?.status()).toBe(400);

	// axe runs its checks as a script in the page: in a context with JavaScript, the same session.
	const scanned = await browser.newContext({
		baseURL: baseUrl(),
		storageState: await context.storageState()
	});
	const scan = await scanned.newPage();
	scan.setDefaultTimeout(10_000);
	// Swedish, with a rename form open and a refused name shown by its field.
	await scan.goto('/admin/topics');
	const again = section(scan, 'Lägg till ämne');
	await again.getByLabel('Namn på svenska').fill('demokrati på nätet');
	await again.getByLabel('Namn på engelska').fill('Democracy online');
	await again.getByRole('button', { name: 'Lägg till ämne' }).click();
	expect(await scan.locator('#add-sv-error').count()).toBe(1);
	await row(scan, 'demokrati-pa-natet').getByText('Byt namn på Demokrati på nätet').click();
	expect(await axeViolations(scan)).toEqual([]);
	// English, the same.
	await scan.goto('/en/admin/topics');
	expect(await scan.getByRole('heading', { level: 1 }).textContent()).toBe('Topics');
	expect(await row(scan, 'participation').locator('td').last().textContent()).toBe('Fixed');
	await row(scan, 'demokrati-pa-natet').getByText('Rename Online democracy').click();
	expect(await row(scan, 'demokrati-pa-natet').getByLabel('Name in English').inputValue()).toBe(
		'Online democracy'
	);
	expect(await axeViolations(scan)).toEqual([]);
	await scanned.close();
	await context.close();
});

test('an author gets 403, for the page and for a form sent by hand', async () => {
	const { page, context } = await open(browser);
	await page.goto('/sign-in');
	await signIn(page, people.author.email, people.author.password);
	await page.waitForURL(/\/admin$/);
	const response = await page.goto('/admin/topics');
	expect(response?.status()).toBe(403);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
		'Du har inte behörighet till sidan'
	);
	const posted = await page.request.post(`${baseUrl()}/admin/topics?/add`, {
		headers: { origin: baseUrl(), accept: 'text/html' },
		form: { nameSv: 'Skribentens ämne', nameEn: "The author's topic" }
	});
	expect(posted.status()).toBe(403);
	await page.goto('/inspiration');
	expect(await page.locator('#facet-topic + ul').textContent()).not.toContain('Skribentens ämne');
	await context.close();
});
