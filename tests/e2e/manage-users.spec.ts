import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, lastMail, launch, mailTo, openAs } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('an admin invites a colleague, gives a role, and finds both in the audit log', async () => {
	// Signed in by the set-up, with two-step verification (an admin needs it for the workspace).
	const { page, context } = await openAs(browser, 'usersAdmin');
	await page.goto('/admin');
	await page.getByRole('link', { name: 'Användare' }).click();
	await page.waitForURL(/\/admin\/users$/);
	expect(await axeViolations(page)).toEqual([]);

	const before = lastMail();
	await page.getByLabel('Namn', { exact: true }).fill('Karin Kollega');
	await page.getByLabel('E-postadress').fill('karin@example.se');
	await page.getByLabel('Roll', { exact: true }).selectOption('author');
	await page.getByRole('button', { name: 'Bjud in' }).click();
	expect(await page.getByRole('status').textContent()).toBe('Inbjudan är skickad till karin@example.se.');
	const invitation = await mailTo('karin@example.se', before);
	expect(invitation.subject).toBe('Du är inbjuden till Partnerskap för lokal demokrati');
	const row = page.locator('tr', { hasText: 'karin@example.se' });
	expect(await row.textContent()).toContain('Inbjuden');

	// The same address again: a message by the field, and what was typed is kept.
	await page.getByLabel('Namn', { exact: true }).fill('Karin Igen');
	await page.getByLabel('E-postadress').fill('karin@example.se');
	await page.getByRole('button', { name: 'Bjud in' }).click();
	expect(await page.locator('#invite-email-error').textContent()).toContain(
		'Det finns redan ett konto med den adressen.'
	);
	expect(await page.getByLabel('Namn', { exact: true }).inputValue()).toBe('Karin Igen');

	await page.getByLabel('Roll för Karin Kollega').selectOption('editor');
	await page
		.locator('tr', { hasText: 'karin@example.se' })
		.getByRole('button', { name: 'Spara roll' })
		.click();
	expect(await page.getByRole('status').textContent()).toBe('Ändringen är sparad.');

	await page.goto('/admin/audit');
	expect(await axeViolations(page)).toEqual([]);
	const log = await page.locator('tbody').textContent();
	expect(log).toContain('user.invite');
	expect(log).toContain('user.role');
	expect(log).toContain('auth.sign-in');
	await context.close();
});
