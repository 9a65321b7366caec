import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const ale = 'unga-i-ale-vara-med-och-paverka';
const debate = 'torget-i-horby-och-peja';

const titles = (page: Page) => page.locator('.dialogue-list h2').allTextContents();
/** The support counts the proposal list shows, in its order. */
const supportCounts = async (page: Page) =>
	(await page.locator('.proposal-list .small').allTextContents()).map((t) =>
		Number(/(\d+) stöd/.exec(t)?.[1])
	);

for (const javaScriptEnabled of [false, true]) {
	test(`a visitor filters the dialogues and opens one, ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
		const { page, context } = await open(browser, { javaScriptEnabled });
		page.setDefaultTimeout(10_000);
		await page.goto('/dialogue');
		expect(await titles(page)).toEqual(
			expect.arrayContaining([
				'Unga i Ale: hur vill du vara med och påverka?',
				'Torget: parkering eller mötesplats?'
			])
		);
		expect(await page.locator('.count').textContent()).toMatch(/\d+ dialog/);

		// The filters are folded away until asked for (a phone sees the first dialogue at once),
		// and open, counted, once some are in use.
		const filters = page.locator('details.filters');
		expect(await filters.getAttribute('open')).toBeNull();
		expect(await page.getByLabel('Land', { exact: true }).isVisible()).toBe(false);
		await filters.locator('summary').click();
		// By the partner's country: Kosovo is Peja's, not Ale's.
		await page.getByLabel('Land', { exact: true }).selectOption('XK');
		await page.getByRole('button', { name: 'Filtrera' }).click();
		await page.waitForURL(/country=XK/);
		expect(await filters.getAttribute('open')).not.toBeNull();
		expect(await filters.locator('summary').textContent()).toContain('Filtrera dialogerna (1 aktivt)');
		expect(await titles(page)).toContain('Torget: parkering eller mötesplats?');
		expect(await titles(page)).not.toContain('Unga i Ale: hur vill du vara med och påverka?');

		await page.getByLabel('Land', { exact: true }).selectOption('');
		await page.getByLabel('Globalt mål', { exact: true }).selectOption('16');
		await page.getByRole('button', { name: 'Filtrera' }).click();
		await page.waitForURL(/sdg=16/);
		expect(await titles(page)).toContain('Unga i Ale: hur vill du vara med och påverka?');
		expect(await titles(page)).not.toContain('Torget: parkering eller mötesplats?');

		// The space: its level with what input can change, its phases, what is open now.
		await page.getByRole('link', { name: 'Unga i Ale: hur vill du vara med och påverka?' }).click();
		await page.waitForURL(new RegExp(`/dialogue/${ale}$`));
		const main = page.locator('main');
		expect(await main.textContent()).toContain(
			'Dina synpunkter samlas in och vägs in innan beslutet fattas.'
		);
		expect(await page.locator('.timeline li').count()).toBe(5);
		expect(await page.locator('.timeline li[aria-current="step"]').textContent()).toContain(
			'Förslag och synpunkter'
		);
		expect(await page.getByRole('link', { name: 'Skriv ett förslag' }).getAttribute('href')).toBe(
			`/dialogue/${ale}/proposals/new`
		);
		expect(
			await page.getByRole('link', { name: 'Ett ungdomsråd med egen budget' }).getAttribute('href')
		).toMatch(new RegExp(`^/dialogue/${ale}/proposals/\\d+$`));

		// Most supported first, then only the answered ones.
		await page.getByLabel('Sortera').selectOption('supported');
		await page.getByRole('button', { name: 'Visa' }).click();
		await page.waitForURL(/sort=supported/);
		const counts = await supportCounts(page);
		expect(counts.length).toBeGreaterThanOrEqual(5);
		expect(counts).toEqual([...counts].sort((a, b) => b - a));
		await page.getByLabel('Status', { exact: true }).selectOption('answered');
		await page.getByRole('button', { name: 'Visa' }).click();
		await page.waitForURL(/status=answered/);
		expect(await page.locator('.proposal-list a').allTextContents()).toContain(
			'Ett ungdomsråd med egen budget'
		);
		expect(await page.locator('.proposal-list').textContent()).not.toContain('Fler kvällsbussar');

		// The debate opens comments only.
		await page.goto(`/en/dialogue/${debate}`);
		expect(await page.locator('h1').textContent()).toBe('The square: car park or meeting place?');
		expect(await page.getByRole('link', { name: 'Join the debate' }).getAttribute('href')).toBe(
			`/en/dialogue/${debate}/debate`
		);
		expect(await page.getByRole('link', { name: 'Write a proposal' }).count()).toBe(0);
		await context.close();
	});
}

test('the list and a space pass axe in both languages, at 320 px too, and fit the screen', async () => {
	for (const width of [1280, 320]) {
		// axe runs in the page: with JavaScript on (the pages send none of their own either way).
		const { page, context } = await open(browser, { width });
		page.setDefaultTimeout(10_000);
		for (const path of ['/dialogue', '/en/dialogue', `/dialogue/${ale}`, `/en/dialogue/${debate}`]) {
			await page.goto(path);
			expect(await axeViolations(page), `${path} at ${width}`).toEqual([]);
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			expect(overflow, `${path} at ${width}`).toBeLessThanOrEqual(0);
			const levels = await page.$$eval('h1, h2, h3, h4', (hs) => hs.map((h) => Number(h.tagName[1])));
			expect(
				levels.filter((l) => l === 1),
				path
			).toHaveLength(1);
			for (let i = 1; i < levels.length; i++)
				expect(levels[i]! - levels[i - 1]!, path).toBeLessThanOrEqual(1);
		}
		await context.close();
	}
});

test('the list comes as CSV with a BOM and as JSON with the same filters; bad filters are named', async () => {
	const csv = await fetch(`${baseUrl()}/api/v1/dialogues?format=csv&partnership=horby-peja`);
	expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
	const bytes = new Uint8Array(await csv.arrayBuffer());
	expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
	expect(lines[0]).toMatch(/^\uFEFF?slug,title,status,participation_level,/);
	expect(lines.slice(1).some((l) => l.startsWith(`${debate},`) && l.includes('Hörby kommun'))).toBe(true);

	const json = await (await fetch(`${baseUrl()}/api/v1/dialogues?sdg=16.7&lang=en`)).json();
	const found = json.items.find((i: { slug: string }) => i.slug === ale);
	expect(found).toMatchObject({ owner: { name: 'Ale Municipality', countries: ['SE'] }, status: 'open' });
	const one = await (await fetch(`${baseUrl()}/api/v1/dialogues/${debate}?lang=en`)).json();
	expect(one.owner.kind).toBe('partnership');
	expect((await fetch(`${baseUrl()}/api/v1/dialogues/no-such-dialogue`)).status).toBe(404);

	const bad = await fetch(`${baseUrl()}/api/v1/dialogues?status=draft&country=Sweden`);
	expect(bad.status).toBe(400);
	const fields = (await bad.json()).error.problems.map((p: { field: string }) => p.field);
	expect(fields).toEqual(['country', 'status']);
	const page = await fetch(`${baseUrl()}/dialogue?sdg=99`);
	expect(page.status).toBe(400);
	expect(await page.text()).toContain('Ange ett globalt mål');
});

test('an editor creates a space without JavaScript (bad input sent back as typed), then sets its team with it', async () => {
	const { page, context } = await openAs(browser, 'partnerEditor', { javaScriptEnabled: false });
	page.setDefaultTimeout(10_000);
	await page.goto('/dialogue');
	await page.getByRole('link', { name: 'Ny dialog' }).click();
	await page.waitForURL(/\/dialogue\/new$/);
	const hörby = await page
		.locator('#owner option[value^="organization:"]', { hasText: 'Hörby kommun' })
		.first()
		.getAttribute('value');
	await page.locator('#owner').selectOption(hörby!);
	await page.locator('#description_sv').fill('<p>Var ska nya cykelvägar dras?</p>');
	await page.locator('#support_threshold').fill('femtio');
	await page.locator('#phase_kind_0').selectOption('input');
	await page.locator('#phase_from_0').fill('2026-06-01');
	await page.locator('#phase_to_0').fill('2026-05-01');
	await page.locator('input[name="phase_opens_0"][value="proposals"]').check();
	await page.getByRole('button', { name: 'Skapa dialogen' }).click();
	await page.waitForLoadState();
	const summary = page.locator('.error-summary');
	expect(await summary.textContent()).toContain('Rubrik på svenska: Måste fyllas i.');
	expect(await summary.textContent()).toContain('Stöd som krävs för svar: Ange ett heltal inom gränserna.');
	expect(await summary.textContent()).toContain('Fas 1: Slutdatumet får inte vara före startdatumet.');
	// What was typed is still there.
	expect(await page.locator('#owner').inputValue()).toBe(hörby);
	expect(await page.locator('#description_sv').inputValue()).toBe('<p>Var ska nya cykelvägar dras?</p>');
	expect(await page.locator('#support_threshold').inputValue()).toBe('femtio');
	expect(await page.locator('#phase_to_0').inputValue()).toBe('2026-05-01');
	expect(await page.locator('input[name="phase_opens_0"][value="proposals"]').isChecked()).toBe(true);

	const title = `Cykelvägar i Hörby ${Date.now()}`;
	await page.locator('#title_sv').fill(title);
	await page.locator('#support_threshold').fill('30');
	await page.locator('#phase_to_0').fill('2026-08-31');
	await page.getByRole('button', { name: 'Skapa dialogen' }).click();
	await page.waitForURL(/\/dialogue\/cykelvagar-i-horby-\d+\?created$/);
	const slug = new URL(page.url()).pathname.split('/').pop()!;
	expect(await page.locator('h1').textContent()).toBe(title);
	// Said where the person lands: the space is made, and is a draft.
	expect((await page.getByRole('status').allTextContents()).slice(0, 2)).toEqual([
		'Dialogen är skapad.',
		'Dialogen är ett utkast och syns bara för dem som driver den.'
	]);
	// A draft is not listed, and others do not see it.
	expect((await fetch(`${baseUrl()}/dialogue/${slug}`)).status).toBe(404);
	await context.close();

	// The team, chosen from Hörby's people, with JavaScript (the form is sent without a reload).
	const js = await openAs(browser, 'partnerEditor');
	js.page.setDefaultTimeout(10_000);
	// The form passes axe in both languages, and when sent back with its messages.
	for (const path of ['/dialogue/new', '/en/dialogue/new']) {
		await js.page.goto(path);
		expect(await axeViolations(js.page), path).toEqual([]);
	}
	// Type only once the page has hydrated (the description editor mounts), or hydration could put
	// the old values back on a slow machine.
	const hydrated = () => js.page.locator('[contenteditable="true"]').first().waitFor();
	await hydrated();
	await js.page.locator('#support_threshold').fill('');
	await js.page.getByRole('button', { name: 'Create the dialogue' }).click();
	await js.page.locator('.error-summary').waitFor();
	expect(await js.page.locator('.error-summary').textContent()).toContain('Choose who runs the dialogue.');
	expect(await axeViolations(js.page)).toEqual([]);
	await js.page.goto(`/dialogue/${slug}/edit`);
	await hydrated();
	expect(await axeViolations(js.page)).toEqual([]);
	await js.page.locator('#moderators').getByLabel('partnerHorby').check();
	await js.page.locator('#status').selectOption('open');
	await js.page.getByRole('button', { name: 'Spara' }).click();
	await js.page.getByRole('status').filter({ hasText: 'Dialogen är sparad.' }).waitFor();
	await js.page.goto(`/en/dialogue/${slug}/edit`);
	expect(await axeViolations(js.page)).toEqual([]);
	expect(await js.page.locator('#moderators').getByLabel('partnerHorby').isChecked()).toBe(true);
	await js.context.close();
	expect((await fetch(`${baseUrl()}/dialogue/${slug}`)).status).toBe(200);
});

test('with one possible owner it is chosen; a form sent back with JavaScript puts the focus on its summary, every time', async () => {
	// Peja's staff member runs nothing else: Peja is the only owner to choose.
	const { page, context } = await openAs(browser, 'partnerPeja', { width: 320 });
	page.setDefaultTimeout(10_000);
	await page.goto('/dialogue/new');
	await page.locator('[contenteditable="true"]').first().waitFor();
	const owner = page.locator('#owner');
	expect(await owner.locator('option').allTextContents()).toEqual([expect.stringContaining('Peja')]);
	expect(await owner.inputValue()).toMatch(/^organization:\d+$/);
	// "Ansvarig" once: the drop-down's label, no legend repeating it.
	expect(await page.getByText('Ansvarig', { exact: true }).count()).toBe(1);

	const summaryHasFocus = () =>
		page.evaluate(() => {
			const summary = document.querySelector('.error-summary');
			const box = summary?.getBoundingClientRect();
			return {
				focused: !!summary && document.activeElement === summary,
				inView: !!box && box.top >= 0 && box.top < window.innerHeight
			};
		});
	const create = page.getByRole('button', { name: 'Skapa dialogen' });
	await create.click();
	await page.locator('.error-summary').waitFor();
	const summary = await page.locator('.error-summary').textContent();
	expect(summary).toContain('Rubrik på svenska: Måste fyllas i.');
	expect(summary).not.toContain('Ansvarig');
	await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
	expect(await summaryHasFocus()).toEqual({ focused: true, inView: true });

	// Sent back again (the same problems): the button had the focus, the summary takes it back.
	await create.focus();
	await create.click();
	await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
	expect(await summaryHasFocus()).toEqual({ focused: true, inView: true });
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
});

test('a bad unsubscribe link says so, an unknown address gets the generic page', async () => {
	const { page, context } = await open(browser);
	const main = () => page.locator('main').textContent();
	expect((await page.goto('/dialogue/unsubscribe/nonsense'))!.status()).toBe(404);
	expect(await page.locator('h1').textContent()).toBe('Sidan finns inte.');
	expect(await main()).toContain('Länken går inte att använda.');
	expect(await main()).not.toContain('Adressen kan vara felstavad');
	expect((await page.goto('/no-such-page'))!.status()).toBe(404);
	expect(await main()).toContain('Adressen kan vara felstavad, eller så har sidan flyttats.');
	await context.close();
});

test('error pages say what happened: sign in first, no access', async () => {
	const { page, context } = await open(browser);
	page.setDefaultTimeout(10_000);
	const h1 = () => page.locator('h1').textContent();
	const main = () => page.locator('main').textContent();
	expect((await page.goto('/no-such-page'))!.status()).toBe(404);
	expect(await main()).toContain('Adressen kan vara felstavad, eller så har sidan flyttats.');

	// Signed out where an account is needed: how to sign in, and back here after.
	expect((await page.goto('/en/dialogue/new'))!.status()).toBe(401);
	expect(await h1()).toBe('Sign in to see this page');
	expect(
		await page.locator('main').getByRole('link', { name: 'Sign in', exact: true }).getAttribute('href')
	).toBe(`/en/sign-in?to=${encodeURIComponent('/en/dialogue/new')}`);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();

	// Signed in without access: said so, with who to ask and another account to use.
	const reader = await openAs(browser, 'tableReader');
	expect((await reader.page.goto('/admin'))!.status()).toBe(403);
	expect(await reader.page.locator('h1').textContent()).toBe('Du har inte behörighet till sidan');
	expect(await reader.page.locator('main').textContent()).toContain('be den som driver sidan');
	expect(
		await reader.page.getByRole('button', { name: 'Logga ut och logga in med ett annat konto' }).count()
	).toBe(1);
	expect(await axeViolations(reader.page)).toEqual([]);
	await reader.context.close();
});
