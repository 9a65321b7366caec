import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, lastMail, launch, mailTo, open } from './browser.ts';
import { people } from './people.ts';
import { createOTP } from '@better-auth/utils/otp';
import { base32 } from '@better-auth/utils/base32';

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

test('an author signs in without JavaScript, reaches the workspace, sees sessions and signs out', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	// Signed out, the workspace sends you to sign in and back.
	await page.goto('/admin');
	await page.waitForURL(/\/sign-in\?to=%2Fadmin$/);
	await signIn(page, people.author.email, people.author.password);
	await page.waitForURL(/\/admin$/);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Redaktionen');
	expect(await page.locator('.counts').textContent()).toContain('Publicerad');
	// A signed-in page is never stored by the server's or the browser's cache.
	const response = await page.goto('/admin');
	expect(response?.headers()['cache-control']).toBe('no-store');
	const session = (await context.cookies()).find((c) => c.name === 'partnerskap.session_token');
	expect(session?.httpOnly).toBe(true);
	expect(session?.sameSite).toBe('Lax');

	await page.getByRole('link', { name: 'Ditt konto' }).click();
	await page.waitForURL(/\/account$/);
	expect(await page.locator('tbody').textContent()).toContain('(den här)');

	await page.getByRole('button', { name: 'Logga ut' }).click();
	await page.waitForURL(/\/sign-in\?notice=signed-out$/);
	expect(await page.getByRole('status').textContent()).toBe('Du är utloggad.');
	await page.goto('/admin');
	await page.waitForURL(/\/sign-in/);
	await context.close();
});

test('an editor must set up two-step verification, then signs in with a code or a backup code', async () => {
	const { page, context } = await open(browser);
	await page.goto('/sign-in');
	await signIn(page, people.editor.email, people.editor.password);
	await page.waitForURL(/\/account\/two-factor\?required$/);
	expect(await page.getByRole('status').textContent()).toContain('behöver du tvåstegsverifiering');
	await page.goto('/admin');
	await page.waitForURL(/\/account\/two-factor\?required$/);

	await page.getByLabel('Lösenord').fill(people.editor.password);
	await page.getByRole('button', { name: 'Börja' }).click();
	const secret = (await page.locator('code.secret').textContent())!;
	const backupCodes = await page.locator('.backup-codes code').allTextContents();
	expect(backupCodes).toHaveLength(10);
	expect(await page.getByRole('img', { name: 'QR-kod för autentiseringsappen' }).count()).toBe(1);
	expect(await axeViolations(page)).toEqual([]);
	const totp = () => createOTP(base32.decode(secret)).totp();
	/** Signs out, then in with the password, up to the second step. */
	const signInAgain = async () => {
		await page.getByRole('button', { name: 'Logga ut' }).click();
		await page.waitForURL(/notice=signed-out/);
		await signIn(page, people.editor.email, people.editor.password);
		await page.waitForURL(/\/sign-in\/two-factor/);
	};
	// A mistyped first code: the message stands at the code, and the same key is offered again.
	const wrong = (await totp()) === '000000' ? '111111' : '000000';
	await page.getByLabel('Kod', { exact: true }).fill(wrong);
	await page.getByRole('button', { name: 'Slå på' }).click();
	await page.waitForSelector('.error-summary');
	expect(await page.locator('#code-error').textContent()).toBeTruthy();
	expect(await page.locator('code.secret').textContent()).toBe(secret);
	expect(await page.locator('.backup-codes code').allTextContents()).toEqual(backupCodes);
	expect(await axeViolations(page)).toEqual([]);
	await page.getByLabel('Kod', { exact: true }).fill(await totp());
	await page.getByRole('button', { name: 'Slå på' }).click();
	expect(await page.getByRole('status').textContent()).toBe('Klart! Tvåstegsverifiering är påslagen.');
	await page.goto('/admin');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Redaktionen');

	// Next time: password, then the code.
	await signInAgain();
	await page.getByLabel('Kod', { exact: true }).fill('000000');
	await page.getByRole('button', { name: 'Fortsätt' }).click();
	expect(await page.locator('#code-error').textContent()).toBe('Kod: Koden stämmer inte. Försök igen.');
	// A code works once, and the one that turned verification on may still be current: type the
	// next step's code, which the window also accepts.
	const nextCode = () => createOTP(base32.decode(secret)).hotp(Math.floor(Date.now() / 30_000) + 1);
	await page.getByLabel('Kod', { exact: true }).fill(await nextCode());
	await page.getByRole('button', { name: 'Fortsätt' }).click();
	await page.waitForURL(/\/admin$/);

	// Without the phone: a backup code, once.
	await signInAgain();
	await page.getByLabel('Kod', { exact: true }).fill(backupCodes[0]!);
	await page.getByRole('button', { name: 'Fortsätt' }).click();
	await page.waitForURL(/\/admin$/);
	await signInAgain();
	await page.getByLabel('Kod', { exact: true }).fill(backupCodes[0]!);
	await page.getByRole('button', { name: 'Fortsätt' }).click();
	expect(await page.locator('#code-error').textContent()).toBe('Kod: Koden stämmer inte. Försök igen.');
	await context.close();
});

test('a reader who signs in lands on their account, and gets 403 in the workspace', async () => {
	const { page, context } = await open(browser);
	// Signed out, the header offers signing in (and back to the page); not on the sign-in page itself.
	await page.goto('/partnerships');
	const header = page.locator('.site-header');
	expect(await header.getByRole('link', { name: 'Logga in' }).getAttribute('href')).toBe(
		'/sign-in?to=%2Fpartnerships'
	);
	await page.goto('/sign-in');
	expect(await header.getByRole('link', { name: 'Logga in' }).count()).toBe(0);
	const [landed] = await Promise.all([
		page.waitForResponse((r) => new URL(r.url()).pathname === '/account'),
		signIn(page, people.reader.email, people.reader.password)
	]);
	expect(landed.status()).toBe(200);
	// Signed in, the header says who, leads to their account and signs out; no way in is offered.
	expect(await header.innerText()).toContain('Inloggad som reader');
	expect(await header.getByRole('link', { name: 'Ditt konto' }).getAttribute('href')).toBe('/account');
	expect(await header.getByRole('button', { name: 'Logga ut' }).count()).toBe(1);
	expect(await page.getByRole('link', { name: 'Logga in' }).count()).toBe(0);
	const response = await page.goto('/admin');
	expect(response!.status()).toBe(403);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
		'Du har inte behörighet till sidan'
	);
	expect(await page.locator('main').textContent()).toContain('be den som driver sidan');
	await context.close();

	// Sent to sign in by the workspace, a reader lands on their account, not on its 403.
	const again = await open(browser);
	await again.page.goto('/admin');
	expect(new URL(again.page.url()).search).toBe('?to=%2Fadmin');
	const [account] = await Promise.all([
		again.page.waitForResponse((r) => new URL(r.url()).pathname === '/account'),
		signIn(again.page, people.reader.email, people.reader.password)
	]);
	expect(account.status()).toBe(200);
	await again.context.close();
});

test('repeated wrong passwords lock the account for a while, with the same answer for unknown accounts', async () => {
	const { page, context } = await open(browser);
	await page.goto('/en/sign-in');
	for (let i = 0; i < 5; i++) {
		await page.getByLabel('Email address').fill(people.lockedOut.email);
		await page.getByLabel('Password').fill(`wrong password number ${i}`);
		await page.getByRole('button', { name: 'Sign in' }).click();
		expect(await page.locator('#email-error').textContent()).toBe('Wrong email address or password.');
		// What was typed stays, except the password.
		expect(await page.getByLabel('Email address').inputValue()).toBe(people.lockedOut.email);
	}
	await page.getByLabel('Email address').fill(people.lockedOut.email);
	await page.getByLabel('Password').fill(people.lockedOut.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	expect(await page.locator('#email-error').textContent()).toMatch(
		/^Too many failed attempts\. Try again in 1[45] minutes\.$/
	);
	expect(page.url()).toMatch(/\/en\/sign-in$/);

	await page.getByLabel('Email address').fill('nobody@example.se');
	await page.getByLabel('Password').fill('whatever it may be');
	await page.getByRole('button', { name: 'Sign in' }).click();
	expect(await page.locator('#email-error').textContent()).toBe('Wrong email address or password.');
	await context.close();
});

test('a forgotten password is reset through the link in the mail, and the link works once', async () => {
	const { page, context } = await open(browser);
	const before = lastMail();
	await page.goto('/sign-in');
	await page.getByRole('link', { name: 'Glömt lösenordet?' }).click();
	await page.getByLabel('E-postadress').fill(people.admin.email);
	await page.getByRole('button', { name: 'Skicka länken' }).click();
	expect(await page.getByRole('status').textContent()).toContain('Om det finns ett konto');
	const mail = await mailTo(people.admin.email, before);
	expect(mail.subject).toBe('Välj ett nytt lösenord');
	const link = mail.links[0]!;
	expect(link.startsWith(baseUrl())).toBe(true);

	await page.goto(link);
	await page.waitForURL(/\/reset-password\/new\?token=/);
	expect(await axeViolations(page)).toEqual([]);
	await page.getByLabel('Nytt lösenord').fill('kort');
	await page.getByRole('button', { name: 'Spara lösenordet' }).click();
	// The browser's own check (minlength) stops it first; without it the server says the same.
	expect(page.url()).toMatch(/\/reset-password\/new\?token=/);
	await page.getByLabel('Nytt lösenord').fill('ett nytt och långt lösenord för admin');
	await page.getByRole('button', { name: 'Spara lösenordet' }).click();
	await page.waitForURL(/\/sign-in\?notice=password-changed$/);
	await signIn(page, people.admin.email, 'ett nytt och långt lösenord för admin');
	// The new password works: the admin (given two-step verification by the set-up) is asked for the code.
	await page.waitForURL(/\/sign-in\/two-factor/);

	// Used once, the link leads nowhere.
	const again = await context.newPage();
	await again.goto(link);
	await again.getByLabel('Nytt lösenord').fill('ytterligare ett långt lösenord');
	await again.getByRole('button', { name: 'Spara lösenordet' }).click();
	expect(await again.locator('#password-error').textContent()).toBe(
		'Länk: Länken har gått ut eller redan använts. Be om en ny länk.'
	);
	// The summary at the top links to the field that says so.
	expect(await again.locator('.error-summary a').getAttribute('href')).toBe('#password');
	await context.close();
});

test('the sign-in, workspace and account pages have no WCAG 2.1 A/AA violations, in both languages', async () => {
	const { page, context } = await open(browser);
	for (const path of [
		'/sign-in',
		'/en/sign-in',
		'/reset-password',
		'/en/reset-password',
		'/sign-in/two-factor'
	]) {
		await page.goto(path);
		expect(await axeViolations(page), path).toEqual([]);
	}
	await page.goto('/sign-in');
	await signIn(page, people.author.email, people.author.password);
	await page.waitForURL(/\/admin$/);
	for (const path of ['/admin', '/en/admin', '/account', '/en/account', '/account/two-factor']) {
		await page.goto(path);
		expect(await axeViolations(page), path).toEqual([]);
	}
	// The error message after a failed attempt is announced and tied to the field.
	await context.clearCookies();
	await page.goto('/sign-in');
	await signIn(page, people.reader.email, 'not the password at all');
	expect(await axeViolations(page)).toEqual([]);
	expect(await page.getByLabel('E-postadress').getAttribute('aria-describedby')).toBe('email-error');
	expect(await page.locator('.error-summary a').getAttribute('href')).toBe('#email');
	await context.close();
});
