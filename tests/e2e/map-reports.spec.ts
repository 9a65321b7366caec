import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';
import type { PreparedPerson } from './people.ts';
import { jpegWithGps } from '../../src/lib/server/media/test-files.ts';

// Issue 11, reports on a map: a resident reports without JavaScript (bad input sent back as
// typed, a district alone is enough) and with it (a tap on the map sets the point); the report
// waits for review, unseen by others; the team reviews it, sees the exact point and answers; the
// public then sees it, never the exact point (page, CSV, GeoJSON). Every page passes axe in both
// languages and fits 320 px.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const space = 'yogyakarta-rapportera-vatten-och-myggor';
const reports = `/dialogue/${space}/reports`;
/** The exact point the scripted report is sent with, as typed (to look for in public output). */
let exactLat = '';
let exactLon = '';
/** The reports' addresses once made (the tests of this file run in order). */
let withoutScript = '';
let withScript = '';

async function as(who: PreparedPerson | null, options: { javaScriptEnabled?: boolean; width?: number } = {}) {
	const opened = who ? await openAs(browser, who, options) : await open(browser, options);
	opened.page.setDefaultTimeout(10_000);
	return opened;
}
const text = async (page: Page, selector: string) =>
	(await page.locator(selector).first().textContent())?.replace(/\s+/g, ' ').trim();
const summary = (page: Page) => page.locator('.error-summary li').allTextContents();

test('a resident reports without JavaScript: bad input comes back as typed, a district alone is enough', async () => {
	const { page, context } = await as('tableReader', { javaScriptEnabled: false });
	await page.goto(reports);
	expect(await text(page, 'h1')).toBe('Rapporter på kartan');
	await page.getByRole('link', { name: 'Rapportera', exact: true }).click();
	await page.waitForURL(new RegExp(`${reports}/new$`));
	// Without the script there is no map to tap: the place is typed.
	expect(await page.locator('.place-map').isVisible()).toBe(false);

	// (The browser asks for a category itself; a missing one is the server's matter in the unit tests.)
	await page.getByLabel('Myggor förökar sig').check();
	await page.locator('#reportDescription').fill('Kort');
	await page.locator('#reportLat').fill('-7,80');
	await page.getByRole('button', { name: 'Skicka rapporten' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual([
		'Vad har du sett?: Beskriv med minst 10 tecken.',
		'Longitud: Fyll i både latitud och longitud, eller ingen av dem.'
	]);
	expect(await page.locator('#reportDescription').inputValue()).toBe('Kort');
	expect(await page.locator('#reportLat').inputValue()).toBe('-7,80');
	expect(await page.getByLabel('Myggor förökar sig').isChecked()).toBe(true);

	await page
		.locator('#reportDescription')
		.fill('Många larver i vattentunnorna bakom skolan vid Jalan Kenari, de står utan lock.');
	await page.locator('#reportLat').fill('');
	await page.locator('#reportDistrict').selectOption('Umbulharjo');
	await page.getByLabel('Bara området').check();
	await page.getByRole('button', { name: 'Skicka rapporten' }).click();
	await page.waitForURL(new RegExp(`${reports}/\\d+\\?sent$`));
	withoutScript = new URL(page.url()).pathname;
	expect(await text(page, '[role=status]')).toMatch(
		/^Tack! Din rapport har tagits emot med nummer \d+\. Den visas/
	);
	expect(await text(page, '.facts')).toContain('Umbulharjo');
	expect(await page.locator('text=väntar på granskning').count()).toBe(1);

	// Following is the reporter's own choice; stopping is said beside the button.
	await page.getByRole('button', { name: 'Följ rapporten' }).click();
	await page.locator('#follow-state').waitFor();
	expect(await text(page, '#follow-state')).toBe(
		'Du följer rapporten och får e-post när den får en ny status.'
	);
	await page.getByRole('button', { name: 'Sluta följa' }).click();
	await page.getByRole('button', { name: 'Följ rapporten' }).waitFor();
	expect(await text(page, '.follow [role=status]')).toBe(
		'Du följer inte längre rapporten och får ingen mer e-post om den.'
	);
	await context.close();

	// Nobody else sees it before review.
	const visitor = await as(null);
	const res = await visitor.page.goto(withoutScript);
	expect(res?.status()).toBe(404);
	await visitor.context.close();
});

test('with JavaScript a tap on the map sets the point, and the report is stored once', async () => {
	const { page, context } = await as('tableReader');
	await page.goto(`${reports}/new`);
	const map = page.locator('.place-map svg');
	await map.waitFor();
	const box = (await map.boundingBox())!;
	await map.click({ position: { x: box.width * 0.45, y: box.height * 0.5 } });
	exactLat = await page.locator('#reportLat').inputValue();
	exactLon = await page.locator('#reportLon').inputValue();
	expect(Number(exactLat)).toBeGreaterThan(-7.84);
	expect(Number(exactLat)).toBeLessThan(-7.76);
	expect(Number(exactLon)).toBeGreaterThan(110.33);
	expect(await page.locator('.place-map .marker').isVisible()).toBe(true);
	expect(await page.locator('input[name=clientId]').inputValue()).toMatch(/^[0-9a-f-]{36}$/);

	await page.getByLabel('Stillastående vatten').check();
	await page.locator('#reportDescription').fill('Vattnet har stått i diket längs gränden i över en vecka.');
	await page.getByLabel('Exakt: jag står på platsen').check();
	await page
		.locator('#reportPhoto')
		.setInputFiles({ name: 'diket.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1200, 800) });
	await page.locator('#reportPhotoAlt').fill('Ett dike fullt av brunt vatten längs en smal gränd');
	expect(await axeViolations(page)).toEqual([]);
	// A bad connection sends it again: the phone's id makes the second sending the same report.
	const landed = await page.evaluate(async () => {
		const form = document.querySelector<HTMLFormElement>('form.stack')!;
		const send = async () =>
			(
				await fetch(location.href, {
					method: 'POST',
					body: new FormData(form),
					headers: { accept: 'text/html' }
				})
			).url;
		return [await send(), await send()];
	});
	expect(landed[0]).toMatch(/\/reports\/\d+\?sent$/);
	expect(landed[1]).toBe(landed[0]!.replace('?sent', '?repeated'));
	await page.getByRole('button', { name: 'Skicka rapporten' }).click();
	await page.waitForURL(new RegExp(`${reports}/\\d+\\?repeated$`));
	withScript = new URL(page.url()).pathname;
	expect(withScript).toBe(new URL(landed[0]!).pathname);
	expect(await text(page, '[role=status]')).toMatch(
		/^Den här rapporten hade redan kommit fram \(nummer \d+\)/
	);
	expect(await text(page, '.facts')).toContain('Stillastående vatten');
	const photo = page.getByRole('img', { name: 'Ett dike fullt av brunt vatten längs en smal gränd' });
	expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
	// The reporter does not see the exact point on the page (only the team does).
	expect(await page.content()).not.toContain(exactLat.replace('.', ','));
	await context.close();
});

test('offline, a report is kept on the phone and sent when the connection returns, and a lost answer stores nothing twice', async () => {
	const { page, context } = await as('tableReader');
	await page.goto(`${reports}/new`);
	await page.locator('.place-map svg').waitFor();
	await page.getByLabel('Avfall').check();
	await page.locator('#reportDescription').fill('Plastburkar i diket bakom marknaden samlar regnvatten.');
	await page.locator('#reportDistrict').selectOption('Kotagede');
	const firstId = await page.locator('input[name=clientId]').inputValue();
	await context.setOffline(true);
	await page.getByRole('button', { name: 'Skicka rapporten' }).click();
	await page.getByText('Sparad på telefonen, inte skickad än.').waitFor();
	// The form is ready for the next report, with an id of its own.
	expect(await page.locator('#reportDescription').inputValue()).toBe('');
	expect(await page.locator('input[name=clientId]').inputValue()).not.toBe(firstId);
	expect(await axeViolations(page)).toEqual([]);
	await context.setOffline(false);
	await page.getByText('Skickad.').waitFor();
	const sentTo = await page.getByRole('link', { name: 'Se rapporten' }).getAttribute('href');
	expect(sentTo).toMatch(new RegExp(`${reports}/\\d+\\?sent$`));

	// Online, but the answer is lost on the way: the server stored it, the phone does not know.
	await page.getByLabel('Stillastående vatten').check();
	await page.locator('#reportDescription').fill('Vatten står i en gammal tunna vid moskén sedan en vecka.');
	await page.locator('#reportDistrict').selectOption('Kraton');
	let stored = '';
	await page.route(`**${reports}/new`, async (route) => {
		if (route.request().method() !== 'POST') return route.continue();
		stored = JSON.parse(await (await route.fetch()).text()).location;
		await route.abort('internetdisconnected');
	});
	await page.getByRole('button', { name: 'Skicka rapporten' }).click();
	await page.getByText('Sparad på telefonen, inte skickad än.').last().waitFor();
	expect(stored).toMatch(/\?sent$/);
	await page.unroute(`**${reports}/new`);
	// Back on the page, it is sent again with the same id: the server answers with the stored one.
	await page.reload();
	await page.locator('.queue li').nth(1).getByText('Skickad.').waitFor();
	const links = await page
		.getByRole('link', { name: 'Se rapporten' })
		.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	expect(links).toEqual([sentTo, stored.replace('?sent', '?repeated')]);
	await page.getByRole('button', { name: 'Ta bort från telefonen' }).first().click();
	await page.waitForFunction(() => document.querySelectorAll('.queue li').length === 1);
	await context.close();
});

test('the team reviews: new reports first, the exact point shown, a status with a public note', async () => {
	const { page, context } = await as('tableEditor');
	await page.goto(`/dialogue/${space}/manage/reports`);
	expect(await text(page, 'h1')).toBe('Hantera rapporter');
	const first = page.locator('tbody tr').first();
	expect(await first.locator('td').nth(3).textContent()).toBe('Ny');
	expect(await axeViolations(page)).toEqual([]);

	await page.goto(withScript);
	const exact = await text(page, 'section ~ h2 + p, h2:has-text("Exakt punkt") + p');
	expect(exact).toContain(
		String(Math.abs(Number(exactLat)))
			.replace('.', ',')
			.slice(0, 5)
	);
	// (An empty note is stopped by the browser; the server's own message is in the unit tests.)
	await page.locator('#reportStatus').selectOption('verified');
	await page.locator('#reportNote').fill('Hälsovolontärerna har sett platsen. Diket töms på torsdag.');
	await page.getByRole('button', { name: 'Spara status' }).click();
	await page.getByText('Statusen är ändrad till ”Bekräftad”').waitFor();
	expect(await text(page, '.facts')).toContain('Bekräftad');
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('the public sees the answered report on the map and in the table, never its exact point', async () => {
	const { page, context } = await as(null);
	const res = await page.goto(withScript);
	expect(res?.status()).toBe(200);
	expect(await page.locator('.history li').allTextContents()).toEqual([
		expect.stringContaining('Ny'),
		expect.stringContaining('Diket töms på torsdag')
	]);
	const lat = Number(exactLat);
	const lon = Number(exactLon);
	const exactForms = [exactLat, exactLon, exactLat.replace('.', ','), exactLon.replace('.', ',')];
	const publicOutputs = [
		await page.content(),
		await (await fetch(`${baseUrl()}${reports}`)).text(),
		await (await fetch(`${baseUrl()}/en${reports}`)).text(),
		await (await fetch(`${baseUrl()}${reports}.csv`)).text(),
		await (await fetch(`${baseUrl()}${reports}.geojson`)).text()
	];
	for (const output of publicOutputs) for (const form of exactForms) expect(output).not.toContain(form);
	const geo = (await (await fetch(`${baseUrl()}${reports}.geojson`)).json()) as {
		features: { id: number; geometry: { coordinates: [number, number] } | null }[];
	};
	const id = Number(withScript.split('/').at(-1));
	const mine = geo.features.find((f) => f.id === id)!;
	// Shown at its grid square's centre: near the point, not on it.
	const [plon, plat] = mine.geometry!.coordinates;
	expect(Math.abs(plat - lat)).toBeLessThan(0.0012);
	expect(Math.abs(plon - lon)).toBeLessThan(0.0012);
	expect([plat, plon]).not.toEqual([lat, lon]);

	await page.goto(reports);
	expect(await page.locator('.report-map svg a').count()).toBeGreaterThan(5);
	expect(await page.locator(`tbody a[href$="/reports/${id}"]`).count()).toBe(1);
	// A mark leads to the table of the reports under it.
	const mark = page.locator('.report-map svg a').first();
	const name = (await mark.getAttribute('aria-label'))!;
	const count = Number(name.split(' ')[0]);
	await mark.click();
	await page.waitForURL(/box=/);
	expect(await text(page, 'caption')).toMatch(new RegExp(`^${count} rapport`));
	// Filtering by category and status.
	await page.goto(`${reports}?category=waste&status=resolved`);
	const statuses = await page.locator('tbody tr td:nth-child(4)').allTextContents();
	expect(statuses.length).toBeGreaterThan(0);
	expect(new Set(statuses)).toEqual(new Set(['Åtgärdad']));
	await context.close();
});

test('whoever runs a space sets up reports on a map: a Swedish municipality drawn from its outline', async () => {
	const ale = 'unga-i-ale-vara-med-och-paverka';
	const { page, context } = await as('tableEditor');
	await page.goto(`/dialogue/${ale}/edit`);
	await page.getByRole('link', { name: 'Inställningar för rapporter på kartan' }).click();
	await page.waitForURL(new RegExp(`/dialogue/${ale}/edit/reports$`));
	expect(await text(page, '.notice')).toContain('Dialogen tar inte emot rapporter ännu');
	expect(await axeViolations(page)).toEqual([]);
	// Nothing in the area and no category: both named, the choices kept.
	await page.getByLabel('Bara området').check();
	await page.getByRole('button', { name: 'Spara inställningarna' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual([
		'Kommun: Välj en kommun eller ange området med koordinater.',
		'Kategorier: Ange minst en kategori.'
	]);
	expect(await page.getByLabel('Bara området').isChecked()).toBe(true);
	await page.locator('#municipality').selectOption('1440');
	await page.locator('#categorySv-0').fill('Trasig gatubelysning');
	await page.locator('#categoryEn-0').fill('Broken street light');
	await page.getByRole('button', { name: 'Spara inställningarna' }).click();
	await page.getByText('Inställningarna är sparade.').waitFor();
	expect(await page.locator('#categorySv-0').inputValue()).toBe('Trasig gatubelysning');
	await page.goto(`/dialogue/${ale}`);
	await page.getByRole('link', { name: 'Se rapporterna på kartan' }).click();
	await page.waitForURL(new RegExp(`/dialogue/${ale}/reports$`));
	expect(await text(page, 'main')).toContain('Inga rapporter ännu.');
	await page.goto(`/dialogue/${ale}/reports/new`);
	// Ale's reports are not opened by any phase yet: the form says so instead of taking one.
	expect(await text(page, '.refusal')).toBe('Det går inte att rapportera i den här fasen av dialogen.');
	await context.close();
});

test('an Open311 client creates a report with a key made on the set-up page, and reads the public ones, in JSON and in XML', async () => {
	const { page, context } = await as('tableEditor');
	await page.goto(`/dialogue/${space}/edit/reports`);
	await page.locator('#keyName').fill('Gatuappen (test)');
	await page.getByRole('button', { name: 'Skapa en nyckel' }).click();
	const key = (await page.locator('.keys code').textContent())!;
	expect(key).toMatch(/^o311_/);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();

	// From another program: no cookie, no Origin, the key in the form as the specification says.
	const post = (body: Record<string, string>) =>
		fetch(`${baseUrl()}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams(body) });
	const created = await post({
		api_key: key,
		jurisdiction_id: space,
		service_code: 'blocked-drain',
		description: 'The storm drain at the market crossing is full of leaves.',
		lat: '-7.8125',
		long: '110.3920'
	});
	expect(created.status).toBe(201);
	const [{ service_request_id }] = (await created.json()) as [{ service_request_id: string }];
	expect(service_request_id).toMatch(/^\d+$/);
	const refused = await post({
		api_key: 'o311_not-a-key',
		jurisdiction_id: space,
		service_code: 'waste',
		description: 'x'
	});
	expect(refused.status).toBe(403);
	expect(await refused.json()).toEqual([{ code: 403, description: expect.any(String) }]);

	const services = (await (
		await fetch(`${baseUrl()}/open311/v2/services.json?jurisdiction_id=${space}`)
	).json()) as {
		service_code: string;
	}[];
	expect(services.map((s) => s.service_code)).toEqual([
		'standing-water',
		'mosquito-breeding',
		'waste',
		'blocked-drain'
	]);
	const requests = (await (
		await fetch(`${baseUrl()}/open311/v2/requests.json?jurisdiction_id=${space}&status=closed&page_size=5`)
	).json()) as { status: string; service_request_id: string }[];
	expect(requests).toHaveLength(5);
	expect(new Set(requests.map((r) => r.status))).toEqual(new Set(['closed']));
	// Waiting for review: not in the public list.
	const one = await fetch(
		`${baseUrl()}/open311/v2/requests/${service_request_id}.json?jurisdiction_id=${space}`
	);
	expect(one.status).toBe(404);

	// A client that speaks the specification's XML: the same create, list and refusal.
	const xml = async (res: Response) =>
		new XMLParser({ parseTagValue: false, ignoreDeclaration: true }).parse(await res.text()) as Record<
			string,
			Record<string, Record<string, string>>
		>;
	const createdXml = await fetch(`${baseUrl()}/open311/v2/requests.xml`, {
		method: 'POST',
		body: new URLSearchParams({
			api_key: key,
			jurisdiction_id: space,
			service_code: 'waste',
			description: 'Plastic bags & bottles pile up behind the <market> stalls.',
			address_string: 'Pasar Kranggan'
		})
	});
	expect(createdXml.status).toBe(201);
	expect(createdXml.headers.get('content-type')).toBe('text/xml; charset=utf-8');
	expect((await xml(createdXml)).service_requests!.request!.service_request_id).toMatch(/^\d+$/);
	const servicesXml = await xml(await fetch(`${baseUrl()}/open311/v2/services.xml?jurisdiction_id=${space}`));
	expect(
		(servicesXml.services!.service as unknown as { service_code: string }[]).map((s) => s.service_code)
	).toEqual(services.map((s) => s.service_code));
	const closedXml = await xml(
		await fetch(`${baseUrl()}/open311/v2/requests.xml?jurisdiction_id=${space}&status=closed&page_size=5`)
	);
	expect(
		(closedXml.service_requests!.request as unknown as { service_request_id: string }[]).map(
			(r) => r.service_request_id
		)
	).toEqual(requests.map((r) => r.service_request_id));
	const refusedXml = await fetch(`${baseUrl()}/open311/v2/requests.xml`, {
		method: 'POST',
		body: new URLSearchParams({
			api_key: 'o311_not-a-key',
			jurisdiction_id: space,
			service_code: 'waste',
			description: 'x'
		})
	});
	expect(refusedXml.status).toBe(403);
	expect((await xml(refusedXml)).errors!.error!.code).toBe('403');
});

test('the reports pages pass axe in both languages and fit 320 px', async () => {
	for (const width of [1280, 320]) {
		const { page, context } = await as('tableReader', { width });
		const ale = '/dialogue/unga-i-ale-vara-med-och-paverka/reports';
		for (const path of [reports, `${reports}/new`, withoutScript, `/dialogue/${space}`, ale]) {
			for (const address of [path, `/en${path}`]) {
				const res = await page.goto(address);
				expect(res?.status(), address).toBe(200);
				if (width === 1280) expect(await axeViolations(page), address).toEqual([]);
				const wide = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
				expect(wide, `${address} at ${width}`).toBe(true);
			}
		}
		await context.close();
	}
});
