import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { axeViolations, baseUrl, launch, openAs } from './browser.ts';
import { people } from './people.ts';

// An IATI activity file imported on the results import page, without JavaScript, by a coordinator:
// the programme's officer registers a new partnership and appoints them; they import the IATI
// standard's own example (refused element by element as published; with its placeholders made real
// codes and numbers, previewed as its 13 results and saved on confirmation, then shown on the
// results page); the partnership's IATI export imported unchanged changes nothing; a broken XML
// file is refused at the file's field. Every state passes axe, in Swedish and English.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const example = path.resolve('data/iati/example-results.xml');

/** Sends the form of a button as a browser without JavaScript: the answer is a new page. */
async function press(page: Page, name: string | RegExp) {
	await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);
}

async function upload(page: Page, file: string, button = 'Visa ändringarna') {
	await page.setInputFiles('#spreadsheet', file);
	await press(page, button);
}

async function written(name: string, text: string) {
	const file = path.join(tmpdir(), `${Date.now()}-${name}`);
	await writeFile(file, text);
	return file;
}

test('a coordinator imports the IATI standard’s example into a new partnership, and its own export changes nothing', async () => {
	// The programme's officer registers a partnership and makes the coordinator its coordinator.
	const staff = await openAs(browser, 'registryEditor', { javaScriptEnabled: false });
	await staff.page.goto('/partnerships/new');
	await staff.page.locator('#member-swedish').selectOption({ label: 'Björkviks kommun' });
	await staff.page.locator('#member-international').selectOption({ index: 0 });
	await staff.page.locator('#status').selectOption('active');
	await staff.page
		.locator('#summary_sv')
		.fill('Ett partnerskap som läser in sina resultat från en IATI-fil.');
	await press(staff.page, 'Skapa partnerskapet');
	const slug = /\/partnerships\/([a-z0-9-]+)\?created$/.exec(staff.page.url())![1]!;
	expect(await staff.page.getByRole('status').first().innerText()).toBe('Partnerskapet är skapat.');
	await staff.page.goto(`/partnerships/${slug}/edit`);
	await staff.page.locator('#invite-email').fill(people.coordinator.email);
	await press(staff.page, 'Bjud in');
	// The only person in the new partnership's space: the one button that appoints.
	await press(staff.page, /Gör till samordnare/);
	expect(await staff.page.getByRole('status').first().innerText()).toContain('är nu samordnare');
	await staff.context.close();

	const { page, context } = await openAs(browser, 'coordinator', { javaScriptEnabled: false });
	await page.goto(`/partnerships/${slug}/results/import`);
	expect(await axeViolations(page)).toEqual([]);

	// The example as published: its placeholder measure and values are named element by element.
	await upload(page, example);
	const problems = await page.locator('.problems').first().innerText();
	expect(problems).toContain('Rad 53, elementet result[3]/indicator[1]/@measure');
	expect(problems).toContain('Måttet ”NDP” är inget IATI-mått');
	expect(await page.getByRole('button', { name: 'Spara ändringarna' }).count()).toBe(0);
	expect(await axeViolations(page)).toEqual([]);

	// With real codes and numbers: its 13 results, and what is not kept; saved on confirmation.
	const fixed = (await readFile(example, 'utf8'))
		.replaceAll('measure="NDP"', 'measure="1"')
		.replace(/value="N=(\d+);P=\d+"/g, 'value="$1"');
	await upload(page, await written('example.xml', fixed));
	const rows = page.locator('table tbody tr');
	expect(await rows.count()).toBe(13);
	expect(await rows.nth(2).innerText()).toContain('Supportive Environment:Health Systems Strengthening');
	expect(await rows.nth(2).innerText()).toContain('Elementet result[3]');
	expect(await page.locator('main').innerText()).toContain('Det här finns i filen men sparas inte');
	expect(await axeViolations(page)).toEqual([]);
	await press(page, 'Spara ändringarna');
	expect(page.url()).toMatch(new RegExp(`/partnerships/${slug}/results\\?imported=13&indicators=\\d+$`));
	expect(await page.getByRole('status').first().innerText()).toMatch(
		/^Ändringarna är sparade: resultatramverket har nu 13 resultat och \d+ indikatorer\.$/
	);
	expect(await page.locator('main').innerText()).toContain(
		'Supportive Environment:Health Systems Strengthening'
	);

	// The partnership's own IATI file, imported unchanged: nothing to change, nothing to save.
	const exported = await fetch(`${baseUrl()}/api/v1/partnerships/${slug}/iati.xml`);
	expect(exported.status).toBe(200);
	await page.goto(`/partnerships/${slug}/results/import`);
	await upload(page, await written('export.xml', await exported.text()));
	expect(await page.getByRole('status').first().innerText()).toBe('Filen ändrar ingenting.');
	expect(await page.getByRole('button', { name: 'Spara ändringarna' }).count()).toBe(0);

	// A broken file: said at the file's field, with its line.
	await upload(page, await written('broken.xml', '<iati-activities>\n<iati-activity>\n</oops>'));
	expect(await page.locator('#spreadsheet-error').innerText()).toContain('Filen är inte välformad XML (rad');
	expect(await axeViolations(page)).toEqual([]);

	// The same in English.
	await page.goto(`/en/partnerships/${slug}/results/import`);
	expect(await axeViolations(page)).toEqual([]);
	await upload(
		page,
		await written('broken.xml', '<iati-activities>\n<iati-activity>\n</oops>'),
		'Show the changes'
	);
	expect(await page.locator('#spreadsheet-error').innerText()).toContain(
		'The file is not well-formed XML (line'
	);
	expect(await axeViolations(page)).toEqual([]);
	await upload(page, example, 'Show the changes');
	expect(await page.locator('.problems').first().innerText()).toContain(
		'Line 53, element result[3]/indicator[1]/@measure'
	);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
}, 180_000);
