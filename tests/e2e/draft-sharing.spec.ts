import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, baseUrl, launch, openAs, sessionOf } from './browser.ts';
import type { PreparedPerson } from './people.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** A form posted as a browser without JavaScript posts it, as a prepared person. */
function post(path: string, fields: Record<string, string>, who: PreparedPerson): Promise<Response> {
	return fetch(baseUrl() + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl(),
			accept: 'text/html',
			cookie: sessionOf(who).cookie
		},
		body: new URLSearchParams(fields)
	});
}

const get = (path: string, who: PreparedPerson) =>
	fetch(baseUrl() + path, {
		redirect: 'manual',
		headers: { accept: 'text/html', cookie: sessionOf(who).cookie }
	});

const slug = 'delat-utkast-om-byraden';
const draft = {
	slug,
	kind: 'method',
	partnershipId: '',
	title_sv: 'Byråden som delar sina utkast',
	teaser_sv: 'Två skribenter skriver samma text.',
	body_sv: '<p>Först den ena, sedan den andra.</p>'
};

test("an author's draft is theirs until they share it with another author, and again once they stop", async () => {
	// The writer's draft (the form as a browser without JavaScript sends it).
	const created = await post('/admin/articles/new?/create', draft, 'writer');
	expect(created.status).toBe(303);
	const id = /\/admin\/articles\/(\d+)\?created$/.exec(created.headers.get('location') ?? '')?.[1];
	expect(id).toBeDefined();
	const article = `/admin/articles/${id}`;

	// Another author sees it in the list but may not open it, nor change it any way.
	const list = await (await get(`/admin/articles?q=${slug}`, 'tableAuthor')).text();
	expect(list).toContain('Byråden som delar sina utkast');
	expect(list).not.toContain(`href="${article}"`);
	expect(list).toContain('Inte delad med dig');
	for (const path of [article, `${article}/revisions`, `/en${article}/preview`]) {
		expect((await get(path, 'tableAuthor')).status, path).toBe(403);
	}
	for (const [action, fields] of [
		['save', { ...draft, title_sv: 'Kapad rubrik', version: '' }],
		['step', { step: 'submit' }],
		['share', { user: 'x' }]
	] as const) {
		expect((await post(`${article}?/${action}`, fields, 'tableAuthor')).status, action).toBe(403);
	}

	// The writer shares it from the editor's page, without JavaScript: first without choosing.
	const writer = await openAs(browser, 'writer', { javaScriptEnabled: false });
	await writer.page.goto(article);
	expect(await writer.page.getByRole('heading', { name: 'Dela utkastet' }).count()).toBe(1);
	expect(await writer.page.getByText('Utkastet är inte delat med någon.').count()).toBe(1);
	await writer.page.getByRole('button', { name: 'Dela', exact: true }).click();
	await writer.page.waitForLoadState();
	const summary = writer.page.getByRole('alert');
	expect(await summary.textContent()).toContain('Skribent: Välj en av skribenterna i listan.');
	expect(await summary.getByRole('link').getAttribute('href')).toBe('#share-user');
	expect(await writer.page.locator('#share-user').getAttribute('aria-invalid')).toBe('true');

	await writer.page.getByLabel('Dela med').selectOption({ label: 'tableAuthor' });
	await writer.page.getByRole('button', { name: 'Dela', exact: true }).click();
	await writer.page.waitForLoadState();
	expect(await writer.page.getByRole('status').first().textContent()).toBe(
		'Utkastet är delat med tableAuthor.'
	);
	expect(await writer.page.getByRole('button', { name: 'Sluta dela med tableAuthor' }).count()).toBe(1);
	// The picker no longer offers someone it is shared with.
	expect(await writer.page.locator('#share-user option', { hasText: 'tableAuthor' }).count()).toBe(0);

	// The section passes axe in both languages, with its messages too (axe needs JavaScript).
	const checked = await openAs(browser, 'writer');
	await checked.page.goto(`/en${article}`);
	await checked.page.locator('[contenteditable="true"]').first().waitFor();
	expect(await checked.page.getByRole('heading', { name: 'Share the draft' }).count()).toBe(1);
	expect(await axeViolations(checked.page)).toEqual([]);
	await checked.page.goto(article);
	await checked.page.locator('[contenteditable="true"]').first().waitFor();
	await checked.page.getByRole('button', { name: 'Dela', exact: true }).click();
	await checked.page.getByRole('alert').waitFor();
	expect(await axeViolations(checked.page)).toEqual([]);
	await checked.context.close();

	// Now the other author opens it from the list, edits and saves it.
	const other = await openAs(browser, 'tableAuthor');
	await other.page.goto(`/admin/articles?q=${slug}`);
	await other.page.getByRole('link', { name: 'Byråden som delar sina utkast' }).click();
	await other.page.waitForURL(new RegExp(`${article}$`));
	// Type only once the editors have mounted, or hydration could put the old values back.
	await other.page.locator('[contenteditable="true"]').first().waitFor();
	// Only the author (or an editor) shares it further.
	expect(await other.page.getByRole('heading', { name: 'Dela utkastet' }).count()).toBe(0);
	await other.page.getByLabel('Titel (svenska)').fill('Byråden som delar sina utkast, del två');
	await other.page.getByRole('button', { name: 'Spara', exact: true }).click();
	await other.page.getByRole('status').filter({ hasText: 'Sparat.' }).waitFor();
	await other.context.close();

	// The writer stops sharing it: the other author is out again.
	await writer.page.goto(article);
	expect(await writer.page.getByLabel('Titel (svenska)').inputValue()).toBe(
		'Byråden som delar sina utkast, del två'
	);
	await writer.page.getByRole('button', { name: 'Sluta dela med tableAuthor' }).click();
	await writer.page.waitForLoadState();
	expect(await writer.page.getByRole('status').first().textContent()).toBe(
		'Utkastet delas inte längre med tableAuthor.'
	);
	await writer.context.close();
	expect((await get(article, 'tableAuthor')).status).toBe(403);
});
