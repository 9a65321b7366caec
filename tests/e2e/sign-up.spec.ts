import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, lastMail, launch, mailTo, open } from './browser.ts';
import { people } from './people.ts';

// Residents make their own accounts (issue 10): a reader with a confirmed address, settings for
// the name, the language and the notification mail; the same answer for an address in use.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** Fills in the sign-up form (labels in the page's language) and sends it. */
async function fillSignUp(
	page: Page,
	labels: { name: string; email: string; password: string; submit: string },
	who: { name: string; email: string; password: string; lang?: 'Svenska' | 'English' }
) {
	await page.getByLabel(labels.name).fill(who.name);
	await page.getByLabel(labels.email).fill(who.email);
	await page.getByLabel(labels.password, { exact: true }).fill(who.password);
	if (who.lang) await page.getByRole('radio', { name: who.lang }).check();
	await page.getByRole('button', { name: labels.submit }).click();
}

const sv = { name: 'Namn som visas', email: 'E-postadress', password: 'Lösenord', submit: 'Skapa kontot' };
const en = {
	name: 'Display name',
	email: 'Email address',
	password: 'Password',
	submit: 'Create the account'
};

test('a resident signs up without JavaScript, confirms the address by mail, signs in and changes the settings', async () => {
	// axe runs in the page, so it checks these pages in the journey with JavaScript below.
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	const me = {
		name: 'Tova Testinvånare',
		email: 'tova.invanare@example.se',
		password: 'tovas långa lösenfras i dialogen'
	};

	await page.goto('/sign-in');
	await page.getByRole('link', { name: 'Inget konto? Skapa ett' }).click();
	await page.waitForURL(/\/sign-up$/);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Skapa ett konto');
	expect(await page.getByRole('radio', { name: 'Svenska' }).isChecked()).toBe(true);

	// A password from the breach list: a message at the field, the rest kept as typed, never the password.
	await fillSignUp(page, sv, { ...me, password: 'password1234' });
	expect(await page.locator('#password-error').textContent()).toContain('Det lösenordet är vanligt');
	expect(await page.getByRole('alert').first().textContent()).toContain('Det finns problem att rätta');
	expect(await page.getByLabel(sv.name).inputValue()).toBe(me.name);
	expect(await page.getByLabel(sv.email).inputValue()).toBe(me.email);
	expect(await page.getByLabel(sv.password, { exact: true }).inputValue()).toBe('');

	const before = lastMail();
	await page.getByLabel(sv.password, { exact: true }).fill(me.password);
	await page.getByRole('button', { name: sv.submit }).click();
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kolla din e-post');
	expect(await page.getByRole('status').textContent()).toContain(`Vi har skickat ett mejl till ${me.email}.`);

	// Not before the address is confirmed.
	await page.goto('/sign-in?to=%2Faccount');
	await page.getByLabel('E-postadress').fill(me.email);
	await page.getByLabel('Lösenord').fill(me.password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	expect(await page.locator('#email-error').textContent()).toContain('Bekräfta din e-postadress först.');

	const verify = await mailTo(me.email, before);
	expect(verify.subject).toBe('Bekräfta din e-postadress');
	expect(verify.text).toContain(`Hej ${me.name}!`);
	await page.goto(verify.links[0]!);
	await page.waitForURL(/\/account\?welcome$/);
	expect(await page.getByRole('status').first().textContent()).toBe(
		'Välkommen! Din e-postadress är bekräftad och du är inloggad.'
	);
	// Said as a resident reads it: no role ("läsare"), the device by name, not its user-agent string.
	const main = await page.locator('main').textContent();
	expect(main).toContain(`Inloggad som ${me.name} (${me.email}).`);
	expect(main).not.toContain('roll:');
	expect(main).toMatch(/Chrome på Linux\s+\(den här\)/);
	expect(main).not.toContain('Mozilla/5.0');

	// Signed out and in again with the password.
	await page.getByRole('button', { name: 'Logga ut' }).click();
	await page.waitForURL(/notice=signed-out/);
	await page.goto('/sign-in?to=%2Faccount');
	await page.getByLabel('E-postadress').fill(me.email);
	await page.getByLabel('Lösenord').fill(me.password);
	await page.getByRole('button', { name: 'Logga in' }).click();
	await page.waitForURL(/\/account$/);
	expect(await page.getByRole('radio', { name: 'En sammanfattning om dagen' }).isChecked()).toBe(true);

	// English, a weekly digest and a shorter name: the account page comes back in English.
	await page.getByLabel('Namn som visas').fill('Tova T.');
	await page.getByRole('radio', { name: 'English' }).check();
	await page.getByRole('radio', { name: 'En sammanfattning i veckan' }).check();
	await page.getByRole('button', { name: 'Spara inställningarna' }).click();
	await page.waitForURL(/\/en\/account\?saved$/);
	expect(await page.getByRole('status').first().textContent()).toBe('Your settings are saved.');
	expect(await page.getByLabel('Display name').inputValue()).toBe('Tova T.');
	expect(await page.getByRole('radio', { name: 'English' }).isChecked()).toBe(true);
	expect(await page.getByRole('radio', { name: 'A weekly digest' }).isChecked()).toBe(true);

	// An empty name comes back with its message, the other choices as typed.
	await page.getByLabel('Display name').fill(' ');
	await page.getByRole('radio', { name: 'One email for each event' }).check();
	await page.getByRole('button', { name: 'Save settings' }).click();
	expect(await page.locator('#displayName-error').textContent()).toBe(
		'Display name: This must be filled in.'
	);
	expect(await page.getByRole('radio', { name: 'One email for each event' }).isChecked()).toBe(true);
	await context.close();
});

test('with JavaScript at 320 px, in English: the mail comes in English; an address in use gets the same answer', async () => {
	const { page, context } = await open(browser, { width: 320 });
	const me = {
		name: 'Kim Example',
		email: 'kim.resident@example.se',
		password: 'kims long passphrase for dialogues'
	};

	// The Swedish form, sent back with its messages, passes axe too.
	await page.goto('/sign-up');
	await fillSignUp(page, sv, { ...me, password: 'password1234' });
	expect(await page.locator('#password-error').count()).toBe(1);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	expect(await axeViolations(page)).toEqual([]);

	await page.goto('/en/sign-up');
	expect(await page.getByRole('radio', { name: 'English' }).isChecked()).toBe(true);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	expect(await axeViolations(page)).toEqual([]);

	let before = lastMail();
	await fillSignUp(page, en, me);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');
	const answerForNew = await page.getByRole('status').textContent();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	expect(await axeViolations(page)).toEqual([]);
	const verify = await mailTo(me.email, before);
	expect(verify.subject).toBe('Confirm your email address');
	await page.goto(verify.links[0]!);
	await page.waitForURL(/\/en\/account\?welcome$/);
	expect(await page.getByRole('status').first().textContent()).toBe(
		'Welcome! Your email address is confirmed and you are signed in.'
	);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	await page.getByRole('radio', { name: 'One email for each event' }).check();
	await page.getByRole('button', { name: 'Save settings' }).click();
	await page.waitForURL(/\/en\/account\?saved$/);
	expect(await page.getByRole('radio', { name: 'One email for each event' }).isChecked()).toBe(true);
	expect(await axeViolations(page)).toEqual([]);
	// The settings sent back with a message, in English, and the account page in Swedish.
	await page.getByLabel('Display name').fill(' ');
	await page.getByRole('button', { name: 'Save settings' }).click();
	expect(await page.locator('#displayName-error').textContent()).toBe(
		'Display name: This must be filled in.'
	);
	expect(await axeViolations(page)).toEqual([]);
	await page.goto('/account');
	expect(await page.getByRole('radio', { name: 'Ett mejl för varje händelse' }).isChecked()).toBe(true);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();

	// Someone else types an address that has an account: the same page; its owner gets a mail.
	const other = await open(browser, { width: 320 });
	await other.page.goto('/en/sign-up');
	before = lastMail();
	await fillSignUp(other.page, en, {
		name: 'Impostor',
		email: people.reader.email,
		password: 'another long passphrase here'
	});
	expect(await other.page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');
	expect(await other.page.getByRole('status').textContent()).toBe(
		answerForNew!.replace(me.email, people.reader.email)
	);
	const told = await mailTo(people.reader.email, before);
	expect(told.subject).toBe('Någon försökte skapa ett konto med din adress');
	// The reader's password still works.
	await other.page.goto('/sign-in?to=%2Faccount');
	await other.page.getByLabel('E-postadress').fill(people.reader.email);
	await other.page.getByLabel('Lösenord').fill(people.reader.password);
	await other.page.getByRole('button', { name: 'Logga in' }).click();
	await other.page.waitForURL(/\/account$/);
	await other.context.close();
});

test('a resident who signs up from a dialogue is brought back to it after confirming the address', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	const me = {
		name: 'Alva Återvänd',
		email: 'alva.atervand@example.se',
		password: 'alvas långa lösenfras tillbaka'
	};
	const from = '/dialogue/unga-i-ale-vara-med-och-paverka';
	await page.goto(`/sign-up?to=${encodeURIComponent(from)}`);
	// Already an account: signing in leads back there too.
	expect(
		await page.getByRole('link', { name: 'Har du redan ett konto? Logga in' }).getAttribute('href')
	).toBe(`/sign-in?to=${encodeURIComponent(from)}`);
	const before = lastMail();
	await fillSignUp(page, sv, me);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kolla din e-post');
	const verify = await mailTo(me.email, before);
	await page.goto(verify.links[0]!);
	await page.waitForURL(/\/account\?welcome&to=/);
	const welcome = page.getByRole('status').first();
	expect(await welcome.textContent()).toContain(
		'Välkommen! Din e-postadress är bekräftad och du är inloggad.'
	);
	await welcome.getByRole('link', { name: 'Fortsätt där du var' }).click();
	await page.waitForURL((url) => url.pathname === from);
	expect(await page.locator('h1').textContent()).toBe('Unga i Ale: hur vill du vara med och påverka?');

	// Another site's address is never followed: no link back then.
	const away = await open(browser, { javaScriptEnabled: false });
	await away.page.goto('/sign-up?to=%2F%2Fevil.example%2F');
	expect(
		await away.page.getByRole('link', { name: 'Har du redan ett konto? Logga in' }).getAttribute('href')
	).toBe(`/sign-in?to=${encodeURIComponent('/account')}`);
	await away.context.close();
	await context.close();
});
