import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, baseUrl, launch, openAs, sessionOf } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('an admin reads the mail queue without JavaScript, in Swedish and English, with no axe violations', async () => {
	const bare = await openAs(browser, 'tableAdmin', { javaScriptEnabled: false });
	// The journeys' server sends over SMTP: the queue shows, the development folder does not.
	const res = await bare.page.goto('/admin/outbox');
	expect(res?.status()).toBe(200);
	expect(await bare.page.getByRole('heading', { level: 1 }).textContent()).toBe('E-postkö');
	for (const name of ['Kön just nu', 'Misslyckade', 'Väntar på att skickas', 'Senast skickade']) {
		expect(await bare.page.getByRole('heading', { level: 2, name }).count()).toBe(1);
	}
	expect(await bare.page.getByRole('heading', { name: 'Sparade brev (utvecklingsläge)' }).count()).toBe(0);
	await bare.context.close();

	// axe runs in the page: a context with JavaScript.
	const { page, context } = await openAs(browser, 'tableAdmin');
	await page.goto('/admin/outbox');
	expect(await axeViolations(page)).toEqual([]);
	await page.goto('/en/admin/outbox');
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mail queue');
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('“send again” for a message that is not failed answers 400 with a message, in the address’s language', async () => {
	const post = (path: string, body: string) =>
		fetch(baseUrl() + path, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: sessionOf('tableAdmin').cookie,
				accept: 'text/html',
				origin: baseUrl(),
				'content-type': 'application/x-www-form-urlencoded'
			},
			body
		});
	const sv = await post('/admin/outbox?/resend', 'id=999999');
	expect(sv.status).toBe(400);
	expect(await sv.text()).toContain('Brevet är inte längre misslyckat');
	const en = await post('/en/admin/outbox?/resend', 'id=abc');
	expect(en.status).toBe(400);
	expect(await en.text()).toContain('Message: ');
});
