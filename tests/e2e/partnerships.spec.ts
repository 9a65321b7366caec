import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';
import { people } from './people.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

test('a visitor filters the partnerships by goal and sees the list and the map change, without JavaScript', async () => {
	const { page, context } = await open(browser, { javaScriptEnabled: false });
	await page.goto('/partnerships');
	const rows = () => page.locator('.partnership-table tbody tr').count();
	const points = () => page.locator('.map-partners circle').count();
	// The demo's four, and any a journey running beside this one has just registered.
	expect(await rows()).toBeGreaterThanOrEqual(4);
	expect(await points()).toBeGreaterThanOrEqual(4);
	const all = await page.locator('.partnership-table tbody').textContent();
	for (const name of ['Region Västerbotten', 'Ale kommun', 'Hörby kommun', 'Kalmar'])
		expect(all).toContain(name);
	// Both maps are groups of links: each partner to its page, each line to its partnership, by name.
	expect(
		await page
			.locator('svg.map-sweden[role="group"]')
			.getByRole('link', { name: 'Ale kommun', exact: true })
			.getAttribute('href')
	).toBe('/organizations/ale-kommun');
	const world = page.locator('svg.map-world[role="group"]');
	expect(
		await world.getByRole('link', { name: 'Ale kommun – Ghanzi District Council' }).getAttribute('href')
	).toBe('/partnerships/ale-ghanzi');
	expect(
		await world.getByRole('link', { name: 'Ghanzi District Council', exact: true }).getAttribute('href')
	).toBe('/organizations/ghanzi-district-council');
	expect(await world.locator('.map-labels text').allTextContents()).toContain('Ghanzi District Council');

	await page.getByLabel('Globalt mål', { exact: true }).selectOption('3');
	await page.getByRole('button', { name: 'Filtrera' }).click();
	await page.waitForURL(/sdg=3/);
	expect(await rows()).toBe(1);
	expect(await points()).toBe(1);
	expect(await page.locator('.partnership-table tbody').textContent()).toContain('Region Västerbotten');

	await page.getByLabel('Land', { exact: true }).selectOption('');
	await page.getByLabel('Globalt mål', { exact: true }).selectOption('16.7');
	await page.getByRole('button', { name: 'Filtrera' }).click();
	await page.waitForURL(/sdg=16\.7/);
	expect(await rows()).toBe(4);

	// Open one: members, team on both sides, timeline, its inspiration.
	await page
		.locator('.partnership-table')
		.getByRole('link', { name: 'Ale kommun – Ghanzi District Council' })
		.click();
	await page.waitForURL(/\/partnerships\/ale-ghanzi$/);
	expect(await page.locator('h1').textContent()).toBe('Ale kommun – Ghanzi District Council');
	expect(await page.locator('.team li').count()).toBe(8);
	expect(await page.locator('.timeline li').count()).toBe(2);
	await page.getByRole('link', { name: 'Ghanzi District Council' }).first().click();
	await page.waitForURL(/\/organizations\/ghanzi-district-council$/);
	expect(await page.locator('main').textContent()).toContain('Ale söker nya vägar till invånarna');

	// A filter value that is not a number gets a message per field, not an error page.
	const bad = await fetch(`${baseUrl()}/partnerships?county=fjorton&sdg=99`);
	expect(bad.status).toBe(400);
	const text = await bad.text();
	expect(text).toContain('Ange ett län med två siffror');
	expect(text).toContain('Ange ett globalt mål');
	await context.close();
});

test('the list comes as CSV that Excel reads (UTF-8 with BOM) and as JSON, with the same filters', async () => {
	const csv = await fetch(`${baseUrl()}/api/v1/partnerships?format=csv&status=completed`);
	expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
	const bytes = new Uint8Array(await csv.arrayBuffer());
	expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
	expect(lines).toHaveLength(3);
	expect(lines.join('\n')).toContain('Hörby kommun');
	const json = await (await fetch(`${baseUrl()}/api/v1/partnerships?sdg=11.3&lang=en`)).json();
	expect(json.items.map((p: { slug: string }) => p.slug)).toEqual(['ale-ghanzi']);
	expect(json.items[0].swedish[0].name).toBe('Ale Municipality');
	const orgs = await (
		await fetch(`${baseUrl()}/api/v1/organizations?county=12&kind=municipality&per_page=100`)
	).json();
	expect(orgs.total).toBe(33);
	const badFormat = await fetch(`${baseUrl()}/api/v1/partnerships?format=xml`);
	expect(badFormat.status).toBe(400);
	expect((await badFormat.json()).error.field).toBe('format');
});

test('an editor appoints a coordinator, who edits their own partnership and gets 403 on another', async () => {
	// Signed in by the set-up, with the second factor an editor needs for the workspace.
	const editor = await openAs(browser, 'registryEditor');

	// Editors place a new international partner on the map; a point off the globe is refused.
	await editor.page.goto('/admin/organizations');
	expect(await axeViolations(editor.page)).toEqual([]);
	await editor.page.locator('#name_sv').fill('Kgalagadi distriktsråd');
	await editor.page.locator('#name_en').fill('Kgalagadi District Council');
	await editor.page.locator('#kind').selectOption('district');
	await editor.page.locator('#country').selectOption('BW');
	await editor.page.locator('#lat').fill('-124,5');
	await editor.page.locator('#lon').fill('21,9');
	await editor.page.getByRole('button', { name: 'Lägg till' }).click();
	await editor.page.waitForLoadState();
	expect(await editor.page.locator('#lat-error').textContent()).toContain(
		'Latitud måste vara ett tal från -90 till 90.'
	);
	expect(await editor.page.locator('#name_sv').inputValue()).toBe('Kgalagadi distriktsråd');
	await editor.page.locator('#lat').fill('-24,5');
	await editor.page.getByRole('button', { name: 'Lägg till' }).click();
	await editor.page.waitForLoadState();
	expect(await editor.page.getByRole('status').first().textContent()).toContain('Organisationen är tillagd.');
	await editor.page.goto('/en/admin/organizations');
	expect(await axeViolations(editor.page)).toEqual([]);
	for (const path of ['/partnerships/new', '/en/partnerships/new']) {
		await editor.page.goto(path);
		expect(await axeViolations(editor.page), path).toEqual([]);
	}
	// The long member lists shorten as one types (accents or not), and what is chosen stays.
	await editor.page.goto('/partnerships/new');
	const swedish = editor.page.locator('#member-swedish option');
	await editor.page.locator('#member-swedish-filter').fill('falu');
	expect(await swedish.allTextContents()).toEqual(['Falu kommun']);
	await editor.page.locator('#member-swedish').selectOption({ label: 'Falu kommun' });
	await editor.page.locator('#member-swedish-filter').fill('goteb');
	expect(await swedish.allTextContents()).toEqual(['Falu kommun', 'Göteborgs Stad']);
	expect(
		await editor.page
			.locator('#member-swedish')
			.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)
	).toBe('Falu kommun');

	await editor.page.goto('/partnerships/ale-ghanzi');
	await editor.page.getByRole('link', { name: 'Redigera partnerskapet' }).click();
	await editor.page.waitForURL(/\/partnerships\/ale-ghanzi\/edit$/);
	expect(await axeViolations(editor.page)).toEqual([]);
	await editor.page.locator('#invite-email').fill(people.coordinator.email);
	await editor.page.getByRole('button', { name: 'Bjud in' }).click();
	await editor.page.waitForLoadState();
	expect(await editor.page.getByRole('status').first().textContent()).toBe(
		`${people.coordinator.email} är inbjuden.`
	);
	await editor.page.getByRole('button', { name: /Gör till samordnare/ }).click();
	// The page sends its forms without a reload once it runs: wait for the answer, not a load.
	expect(await editor.page.getByRole('status').filter({ hasText: 'är nu samordnare' }).textContent()).toMatch(
		/är nu samordnare\.$/
	);
	await editor.context.close();

	const { page, context } = await openAs(browser, 'coordinator');
	await page.goto('/partnerships/ale-ghanzi/edit');
	// The page hydrates (the description editor mounts) before anything is typed, or hydration
	// could put the server's values back over what was typed.
	const hydrated = () => page.locator('[contenteditable="true"]').first().waitFor();
	await hydrated();
	// Members are the editors' to change: the coordinator sees them, not the pickers.
	expect(await page.locator('#member-swedish').count()).toBe(0);
	await page
		.getByLabel('Sammanfattning (svenska)')
		.fill('Ale och Ghanzi bjuder in byråden till gemensamma möten.');
	await page.locator('#team_name_8').fill('Ny fältsamordnare');
	await page.locator('#team_side_8').selectOption('international');
	await page.getByRole('button', { name: 'Spara' }).first().click();
	await page.waitForLoadState();
	expect(await page.getByRole('status').first().textContent()).toBe('Partnerskapet är sparat.');
	await hydrated();

	// A bad year is refused with a message, and what was typed stays.
	await page.locator('#phase_completed_from').fill('20x0');
	await page.getByLabel('Sammanfattning (svenska)').fill('Ett nytt utkast som inte får försvinna.');
	await page.getByRole('button', { name: 'Spara' }).first().click();
	await page.waitForLoadState();
	expect(await page.getByRole('alert').first().textContent()).toContain(
		'Ange ett årtal mellan 1990 och 2100.'
	);
	expect(await page.getByLabel('Sammanfattning (svenska)').inputValue()).toBe(
		'Ett nytt utkast som inte får försvinna.'
	);

	await page.goto('/en/partnerships/ale-ghanzi/edit');
	expect(await axeViolations(page)).toEqual([]);
	const other = await page.goto('/partnerships/horby-peja/edit');
	expect(other?.status()).toBe(403);
	await context.close();

	const visitor = await open(browser, { javaScriptEnabled: false });
	await visitor.page.goto('/partnerships/ale-ghanzi');
	expect(await visitor.page.locator('.lead').textContent()).toBe(
		'Ale och Ghanzi bjuder in byråden till gemensamma möten.'
	);
	expect(await visitor.page.locator('.team').last().textContent()).toContain('Ny fältsamordnare');
	await visitor.context.close();
});

test('the partnership pages have no WCAG 2.1 A/AA violations, in both languages', async () => {
	const { page, context } = await open(browser);
	for (const path of [
		'/partnerships',
		'/en/partnerships?status=active',
		'/partnerships/horby-peja',
		'/en/partnerships/kalmar-cape-winelands',
		'/organizations/ale-kommun',
		'/en/organizations/peja-municipality'
	]) {
		await page.goto(path);
		expect(await axeViolations(page), path).toEqual([]);
	}
	await context.close();
});
