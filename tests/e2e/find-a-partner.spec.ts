import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, lastMail, launch, mailTo, open, openAs } from './browser.ts';
import { people } from './people.ts';

/**
 * Find a partner: staff of Hörby and of Peja post profiles; Peja's suggestions put Hörby first
 * with the reasons shown; a message goes by mail without the sender's address, and the answer
 * through the mailed link gives both sides each other's; a reported message reaches the editors,
 * who hide and show a profile. axe on every page of it, in Swedish and English.
 */
const horby = people.partnerHorby;
const peja = people.partnerPeja;

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

/** axe in this session's language(s): each address must pass with no violations. */
async function expectAccessible(page: Page, ...paths: string[]) {
	for (const path of paths) {
		if (path) await page.goto(path);
		expect(await axeViolations(page), `axe on ${path || page.url()}`).toEqual([]);
	}
}

/** With PARTNER_SCREENSHOTS=<folder>, pictures of the pages to look at. */
async function screenshot(page: Page, name: string) {
	const dir = process.env.PARTNER_SCREENSHOTS;
	if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

const answerLink = (text: string) =>
	text.match(/https?:\/\/\S+\/find-a-partner\/answer\/[A-Za-z0-9_-]{43}/)?.[0];

let horbySession: { context: BrowserContext; page: Page };
let pejaSession: { context: BrowserContext; page: Page };
let horbyProfile = '';
let pejaProfile = '';

test('staff post their organizations’ profiles; a refused form keeps what was typed', async () => {
	// Signed in by the global set-up: the journey starts at the profile form.
	horbySession = await openAs(browser, 'partnerHorby');
	const { page } = horbySession;
	page.setDefaultTimeout(10_000);
	await page.goto('/find-a-partner/profile');
	expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Profil för Hörby kommun');
	expect(await page.getByLabel('E-postadress').inputValue()).toBe(horby.email);

	await page.locator('#theme-participation').check();
	await page.locator('#theme-transparency').check();
	await page.locator('#goal-16').check();
	await page.getByLabel('Delmål').fill('16.7, 16.6');
	await page.locator('#region-europe').check();
	await page.locator('#profile-countries').selectOption(['XK']);
	for (const code of ['sq', 'en', 'sv']) await page.locator(`#language-${code}`).check();
	await page.getByLabel('Namn', { exact: true }).fill('Hanna på Hörby');
	// Offer and seek left empty: refused, field by field, and nothing typed is lost.
	await page.getByRole('button', { name: 'Spara profilen' }).click();
	expect(await page.locator('#profile-offerSv-error').textContent()).toBe(
		'Det här erbjuder vi (på svenska): Skriv på minst ett av språken.'
	);
	expect(await page.locator('#profile-problems').textContent()).toContain(
		'Det här söker vi (på svenska): Skriv på minst ett av språken.'
	);
	expect(await page.locator('#theme-transparency').isChecked()).toBe(true);
	expect(await page.locator('#goal-16').isChecked()).toBe(true);
	expect(await page.getByLabel('Delmål').inputValue()).toBe('16.7, 16.6');
	expect(
		await page.locator('#profile-countries').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.value)
	).toBe('XK');
	expect(await page.getByLabel('Namn', { exact: true }).inputValue()).toBe('Hanna på Hörby');
	await screenshot(page, 'profile-refused');
	await expectAccessible(page, '');

	await page.locator('#profile-offerSv').fill('Vi har lång vana av medborgardialog och öppna nämndmöten.');
	await page
		.locator('#profile-seekSv')
		.fill('En kommun på Balkan som vill arbeta med insyn och ungas inflytande.');
	await page.getByRole('button', { name: 'Spara profilen' }).click();
	expect(await page.getByRole('status').textContent()).toMatch(
		/^Profilen är sparad och gäller till \d+ \S+ \d{4}\.$/
	);
	horbyProfile = (await page
		.getByRole('link', { name: 'Visa profilen som andra ser den' })
		.getAttribute('href'))!;
	expect(horbyProfile).toMatch(/^\/find-a-partner\/\d+$/);
	// Renewing keeps it listed for another twelve months.
	await page.getByRole('button', { name: 'Förnya i 12 månader' }).click();
	expect(await page.getByRole('status').textContent()).toMatch(/^Profilen är förnyad och gäller till/);
	await expectAccessible(page, '/find-a-partner/profile', '/en/find-a-partner/profile');

	pejaSession = await openAs(browser, 'partnerPeja');
	const p = pejaSession.page;
	p.setDefaultTimeout(10_000);
	await p.goto('/en/find-a-partner/profile');
	await p.locator('#theme-participation').check();
	await p.locator('#theme-transparency').check();
	await p.getByLabel('Targets').fill('16.7 16.6');
	await p.locator('#profile-countries').selectOption(['SE']);
	for (const code of ['sq', 'en']) await p.locator(`#language-${code}`).check();
	await p
		.locator('#profile-offerEn')
		.fill('Youth councils in every district, and a municipal assembly that meets in public.');
	await p
		.locator('#profile-seekEn')
		.fill('A Swedish municipality to learn open budgeting and citizen dialogue with.');
	await p.getByRole('button', { name: 'Save the profile' }).click();
	expect(await p.getByRole('status').textContent()).toMatch(/^The profile is saved and valid until/);
	pejaProfile = (await p
		.getByRole('link', { name: 'See the profile as others see it' })
		.getAttribute('href'))!;
	expect(pejaProfile).toMatch(/^\/en\/find-a-partner\/\d+$/);
	pejaProfile = pejaProfile.replace(/^\/en/, '');
});

test('the match list puts the expected profile first, with its reasons', async () => {
	const { page } = pejaSession;
	await page.goto('/find-a-partner');
	const suggestions = page.locator('section', {
		has: page.getByRole('heading', { level: 2, name: 'Förslag för Peja kommun (Pejë)' })
	});
	const first = suggestions.locator('ol > li').first();
	expect(await first.getByRole('heading', { level: 3 }).textContent()).toBe('Hörby kommun');
	const reasons = await first
		.getByRole('list', { name: 'Därför passar Hörby kommun' })
		.locator('li')
		.allTextContents();
	expect(reasons).toEqual([
		'Båda arbetar med deltagande, transparens, delmål 16.7 (Säkra inkluderande och deltagande beslutsfattande) och delmål 16.6 (Bygg effektiva, öppna och ansvarsutkrävande institutioner)',
		'Hörby kommun söker partner i Kosovo',
		'Ni söker partner i Sverige, där Hörby kommun finns',
		'Ni har albanska och engelska gemensamt'
	]);
	// The public page sends no client code and never an address.
	expect(await page.locator('script').count()).toBe(0);
	expect(await page.content()).not.toContain(horby.email);
	await screenshot(page, 'find-a-partner');
	await expectAccessible(page, '', '/en/find-a-partner');
	const english = page.locator('section', {
		has: page.getByRole('heading', { level: 2, name: 'Suggestions for Municipality of Peja (Pejë)' })
	});
	expect(await english.locator('ol > li').first().locator('li').first().textContent()).toBe(
		'Both work on participation, transparency, target 16.7 (Ensure inclusive and participatory decision-making) and target 16.6 (Build effective, accountable and transparent institutions)'
	);

	// The filters: a plain GET form, also for visitors who are not signed in.
	const visitor = await open(browser);
	// A target is named in the filter and on a profile, not only numbered.
	await visitor.page.goto('/find-a-partner?sdg=16.7');
	expect(await visitor.page.locator('#filter-sdg option:checked').textContent()).toBe(
		'Delmål 16.7: Säkra inkluderande och deltagande beslutsfattande'
	);
	expect(await visitor.page.locator('.profile-list h4').allTextContents()).toContain('Hörby kommun');
	await visitor.page.locator('.profile-list h4', { hasText: 'Hörby kommun' }).getByRole('link').click();
	await visitor.page.waitForLoadState();
	expect(await visitor.page.locator('ul.targets li').allTextContents()).toContain(
		'16.7 Säkra inkluderande och deltagande beslutsfattande'
	);
	await visitor.page.goto('/find-a-partner?language=sq&location=XK');
	expect(await visitor.page.locator('.profile-list h4').allTextContents()).toEqual(['Peja kommun (Pejë)']);
	// Looking for a partner in Kosovo: Hörby names it (Europe would count too).
	await visitor.page.goto('/find-a-partner?region=XK');
	expect(await visitor.page.locator('.profile-list h4').allTextContents()).toContain('Hörby kommun');
	expect(await visitor.page.locator('.profile-list h4').allTextContents()).not.toContain(
		'Peja kommun (Pejë)'
	);
	expect(await visitor.page.getByRole('link', { name: 'Logga in' }).first().isVisible()).toBe(true);
	// (The English list is checked signed in, above; the profile as Peja sees it, below.)
	await expectAccessible(visitor.page, '', `/en${horbyProfile}`);
	expect(
		await visitor.page.getByRole('link', { name: 'Sign in to write to Hörby Municipality.' }).count()
	).toBe(1);
	expect((await visitor.page.goto('/find-a-partner?region=atlantis'))?.status()).toBe(400);
	expect((await visitor.page.goto('/find-a-partner/999999'))?.status()).toBe(404);
	await visitor.context.close();
});

test('a contact request arrives without the sender’s address; answering shares both', async () => {
	const { page } = pejaSession;
	await page.goto('/find-a-partner');
	await page.locator('.match-list > li').first().getByRole('link', { name: 'Hörby kommun' }).click();
	await page.waitForURL(new RegExp(`${horbyProfile}$`));
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hörby kommun');
	await screenshot(page, 'profile-page');
	await expectAccessible(page, '', `/en${horbyProfile}`);

	await page.goto(horbyProfile);
	const before = lastMail();
	const message = 'Hej Hörby! Vi i Peja vill gärna lära oss mer om öppna nämndmöten och ungas inflytande.';
	await page.getByLabel('Meddelande').fill(message);
	await page.getByRole('button', { name: 'Skicka meddelandet' }).click();
	expect(await page.getByRole('status').textContent()).toContain('Meddelandet är skickat.');

	const request = await mailTo(horby.email, before);
	expect(request.subject).toBe('Peja kommun (Pejë) vill komma i kontakt med er');
	expect(request.text).toContain(message);
	expect(request.text).toContain('partnerPeja på Peja kommun (Pejë) (Kosovo)');
	expect(request.text).not.toContain(peja.email);
	const copy = await mailTo(peja.email, before);
	expect(copy.text).toContain(message);
	expect(copy.text).not.toContain(horby.email);
	const link = answerLink(request.text)!;
	expect(link).toBeTruthy();

	// The link is the credential: anyone holding it may answer, without signing in.
	const holder = await open(browser);
	holder.page.setDefaultTimeout(10_000);
	const response = await holder.page.goto(link);
	expect(response?.headers()['cache-control']).toBe('no-store');
	expect(await holder.page.locator('meta[name="referrer"]').getAttribute('content')).toBe('same-origin');
	expect(await holder.page.locator('blockquote').textContent()).toContain(message);
	expect(await holder.page.content()).not.toContain(peja.email);
	await screenshot(holder.page, 'answer');
	await expectAccessible(holder.page, '', link.replace('/find-a-partner/', '/en/find-a-partner/'));
	await holder.page.goto(link);
	const beforeAnswer = lastMail();
	await holder.page
		.getByRole('textbox', { name: 'Ditt svar' })
		.fill('Varmt välkomna! Hör av er så bokar vi ett möte.');
	await holder.page.getByRole('button', { name: 'Skicka svaret och dela adresserna' }).click();
	expect(await holder.page.getByRole('status').textContent()).toBe(
		'Svaret är skickat. Ni har båda fått ett brev med den andras e-postadress.'
	);
	const toHorby = await mailTo(horby.email, beforeAnswer);
	expect(toHorby.text).toContain(peja.email);
	const toPeja = await mailTo(peja.email, beforeAnswer);
	// Mail goes in the recipient's account language: Peja's staff member has kept Swedish.
	expect(toPeja.subject).toBe('Hörby kommun har svarat dig');
	expect(toPeja.text).toContain(horby.email);
	expect(toPeja.text).toContain('Varmt välkomna!');
	// Once only.
	await holder.page.goto(link);
	expect(await holder.page.locator('.notice').textContent()).toBe(
		'Meddelandet är redan besvarat. Länken kan bara användas en gång.'
	);
	expect(await holder.page.getByRole('button', { name: 'Skicka svaret och dela adresserna' }).count()).toBe(
		0
	);
	await holder.context.close();
});

test('a reported request reaches the editors, who hide and show a profile', async () => {
	// Hörby writes to Peja; Peja reports it instead of answering.
	const { page } = horbySession;
	await page.goto(pejaProfile);
	const before = lastMail();
	// Too short: refused by the server, the text kept.
	await page.getByLabel('Meddelande').evaluate((el: HTMLTextAreaElement) => el.removeAttribute('minlength'));
	await page.getByLabel('Meddelande').fill('Köp nu!');
	await page.getByRole('button', { name: 'Skicka meddelandet' }).click();
	expect(await page.locator('#contact-message-error').textContent()).toBe(
		'Meddelande: Skriv mellan 20 och 3 000 tecken.'
	);
	expect(await page.getByLabel('Meddelande').inputValue()).toBe('Köp nu!');
	await page.getByLabel('Meddelande').fill('Köp våra konsulttjänster i dag, bästa priset i hela regionen!');
	await page.getByRole('button', { name: 'Skicka meddelandet' }).click();
	expect(await page.getByRole('status').textContent()).toContain('Meddelandet är skickat.');
	const request = await mailTo(peja.email, before);
	// Peja is outside Sweden, but its contact's account is in Swedish: so are the mail and its link.
	expect(request.subject).toBe('Hörby kommun vill komma i kontakt med er');
	expect(request.text).not.toContain(horby.email);
	const link = answerLink(request.text)!;
	expect(link).not.toContain('/en/');

	// The holder reads the page in English.
	const holder = await open(browser);
	holder.page.setDefaultTimeout(10_000);
	await holder.page.goto(link.replace('/find-a-partner/', '/en/find-a-partner/'));
	await holder.page.getByLabel('Why are you reporting the message?').fill('Advertising, not a partnership.');
	await holder.page.getByRole('button', { name: 'Report to the editors' }).click();
	expect(await holder.page.getByRole('status').textContent()).toBe(
		'Thank you. The message has been reported to the editors.'
	);
	await holder.context.close();

	// The editor's session has its second factor (the global set-up turned it on).
	const ed = await openAs(browser, 'partnerEditor');
	ed.page.setDefaultTimeout(10_000);
	await ed.page.goto('/admin/partner-search');
	expect(await ed.page.getByRole('heading', { level: 1 }).textContent()).toBe('Hitta partner: granskning');
	const reported = ed.page.getByRole('region', { name: 'Anmälda meddelanden' });
	// Its own report's row: other journeys may report messages on the same server.
	const row = reported.locator('tbody tr', { hasText: 'Advertising, not a partnership.' });
	expect(await row.textContent()).toContain('Advertising, not a partnership.');
	expect(await row.textContent()).toContain(horby.email);
	expect(await row.textContent()).toContain('Hörby kommun');
	await screenshot(ed.page, 'moderation');
	await expectAccessible(ed.page, '', '/en/admin/partner-search');

	await ed.page.goto('/admin/partner-search');
	const pejaRow = ed.page
		.getByRole('region', { name: 'Profiler' })
		.locator('tr', { hasText: 'Peja kommun (Pejë)' });
	await pejaRow.getByLabel('Kommentar till organisationen').fill('Dold i väntan på nya kontaktuppgifter.');
	await pejaRow.getByRole('button', { name: 'Dölj profilen för Peja kommun (Pejë)' }).click();
	expect(await ed.page.getByRole('status').textContent()).toBe('Profilen är dold.');
	const visitor = await open(browser);
	expect((await visitor.page.goto(pejaProfile))?.status()).toBe(404);
	await visitor.page.goto('/find-a-partner');
	expect(await visitor.page.locator('.profile-list h4').allTextContents()).not.toContain(
		'Peja kommun (Pejë)'
	);
	// The organization sees why.
	await pejaSession.page.goto('/find-a-partner/profile');
	expect(await pejaSession.page.locator('main').textContent()).toContain(
		'Redaktionens kommentar: Dold i väntan på nya kontaktuppgifter.'
	);
	await expectAccessible(ed.page, '/admin/partner-search');
	await ed.page
		.getByRole('region', { name: 'Profiler' })
		.locator('tr', { hasText: 'Peja kommun (Pejë)' })
		.getByRole('button', { name: 'Visa igen: Peja kommun (Pejë)' })
		.click();
	expect(await ed.page.getByRole('status').textContent()).toBe('Profilen syns igen.');
	expect((await visitor.page.goto(pejaProfile))?.status()).toBe(200);

	// Readers and the signed out have no business here.
	expect((await pejaSession.page.goto('/admin/partner-search'))?.status()).toBe(403);
	await visitor.page.goto('/admin/partner-search');
	expect(visitor.page.url()).toContain('/sign-in?to=');
	await visitor.context.close();
	await ed.context.close();
	await horbySession.context.close();
	await pejaSession.context.close();
});
