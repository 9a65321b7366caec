import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, launch, open } from './browser.ts';
import { people } from './people.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('a user downloads their data, then deletes the account and cannot sign in again', async () => {
	const { page, context } = await open(browser);
	await page.goto('/sign-in?to=%2Faccount');
	await page.getByLabel('E-postadress').fill(people.leaving.email);
	await page.getByLabel('Lösenord').fill(people.leaving.password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	await page.waitForURL(/\/account$/);
	expect(await axeViolations(page)).toEqual([]);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Ladda ner mina uppgifter (JSON)' }).click()
	]);
	const data = JSON.parse(
		await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString())
	);
	expect(data.profile.email).toBe(people.leaving.email);
	expect(data.sessions.length).toBeGreaterThan(0);

	await page.getByLabel('Skriv ditt lösenord för att radera kontot').fill('inte rätt lösenord alls');
	await page.getByRole('button', { name: 'Radera mitt konto' }).click();
	expect(await page.locator('#delete-password-error').textContent()).toContain('Lösenordet stämmer inte.');
	await page.getByLabel('Skriv ditt lösenord för att radera kontot').fill(people.leaving.password);
	await page.getByRole('button', { name: 'Radera mitt konto' }).click();
	await page.waitForURL((u) => u.pathname === '/');

	await page.goto('/sign-in');
	await page.getByLabel('E-postadress').fill(people.leaving.email);
	await page.getByLabel('Lösenord').fill(people.leaving.password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	expect(await page.locator('#email-error').textContent()).toBe('Fel e-postadress eller lösenord.');
	await context.close();
});
