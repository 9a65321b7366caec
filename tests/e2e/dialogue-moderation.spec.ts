import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs, sessionOf } from './browser.ts';
import type { PreparedPerson } from './people.ts';

// Issue 10, the moderators' and answerers' side: a participant flags a resident's proposal; an
// editor (with two-step verification) hides it with a public reason and restores it, then answers
// it (a draft, published from the work page); the public page shows the answer, its state and
// the history. Bad input on each of these forms comes back with a message per field, as typed.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const ale = 'unga-i-ale-vara-med-och-paverka';
const title = 'Belysning längs gångvägen till Ale gymnasium';
const hideReason = 'Förslaget innehöll ett telefonnummer till en privatperson (påhittat exempel).';
const restoreReason = 'Numret var kommunens växel. Förslaget visas igen.';
const answerSv =
	'Kommunstyrelsen har beslutat att sätta upp belysning längs gångvägen före vintern. (Exempel i testet.)';
/** The proposal the first test moderates, answered by the second (they run in order). */
const answering = { id: 0 };
const answerEn =
	'The municipal executive board has decided to light the path before winter. (A test example.)';

async function as(who: PreparedPerson | null, options: { javaScriptEnabled?: boolean } = {}) {
	const opened = who ? await openAs(browser, who, options) : await open(browser, options);
	opened.page.setDefaultTimeout(10_000);
	return opened;
}
/** An element's text as a reader sees it: white space collapsed. */
const text = async (page: Page, selector: string) =>
	(await page.locator(selector).textContent())?.replace(/\s+/g, ' ').trim();
const summary = (page: Page) => page.locator('.error-summary li').allTextContents();
/** Switches a form's own browser checks off, as a client without them would send it. */
const noValidate = (page: Page, selector: string) =>
	page
		.locator(selector)
		.evaluateAll((forms) => forms.forEach((f) => ((f as HTMLFormElement).noValidate = true)));

/** A resident's proposal, written over HTTP (the writing itself is dialogue-journeys.spec.ts's). */
async function writtenProposal(): Promise<number> {
	const res = await fetch(`${baseUrl()}/dialogue/${ale}/proposals/new`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl(),
			accept: 'text/html',
			cookie: sessionOf('coordinator').cookie
		},
		body: new URLSearchParams({
			proposalTitle: title,
			proposalBody:
				'Gångvägen mellan stationen och gymnasiet är helt mörk på vintern. Sätt upp belysning så att fler vågar gå där.',
			proposalPlace: 'Nödinge',
			anyway: '1'
		})
	});
	expect(res.status).toBe(303);
	return Number(/\/proposals\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1]);
}

test('a participant flags a proposal; an editor hides it with a public reason and restores it', async () => {
	const id = await writtenProposal();
	const path = `/dialogue/${ale}/proposals/${id}`;

	// Flagged without JavaScript: no reason chosen is sent back, then a reason goes.
	const flagger = await as('partnerHorby', { javaScriptEnabled: false });
	await flagger.page.goto(path);
	await flagger.page.getByRole('link', { name: 'Anmäl förslaget' }).click();
	await flagger.page.waitForURL(new RegExp(`/flag\\?proposal=${id}$`));
	expect(await text(flagger.page, 'main')).toContain(`förslaget ${title}`);
	await flagger.page.getByRole('button', { name: 'Skicka anmälan' }).click();
	await flagger.page.locator('#reason-error').waitFor();
	expect(await text(flagger.page, '#reason-error')).toMatch(/^Skäl: /);
	await flagger.page.getByLabel('Personuppgifter').check();
	await flagger.page.getByRole('button', { name: 'Skicka anmälan' }).click();
	await flagger.page.waitForURL(new RegExp(`${path}\\?flagged=1$`));
	expect(await flagger.page.getByRole('status').first().textContent()).toContain(
		'Tack. Moderatorerna har fått din anmälan.'
	);

	// The platform's queue shows it with its space; a decision without a reason is sent back.
	const editor = await as('partnerEditor');
	const { page } = editor;
	await page.goto('/admin/dialogue');
	const inQueue = page.getByRole('form', { name: `Beslut om ${title}` });
	expect(await inQueue.locator('xpath=..').textContent()).toContain(
		'Samtal: Unga i Ale: hur vill du vara med och påverka?'
	);
	await inQueue.getByRole('button', { name: 'Dölj' }).click();
	await page.locator(`#reason-proposal-${id}-error`).waitFor();
	expect(await text(page, `#reason-proposal-${id}-error`)).toBe('Skäl: Måste fyllas i.');
	expect(await axeViolations(page)).toEqual([]);

	// The space's moderation: too long a reason is kept as typed; a block without a reason is refused.
	await page.goto(`/dialogue/${ale}/manage/moderation`);
	const decision = page.getByRole('form', { name: `Beslut om ${title}` });
	expect((await decision.locator('xpath=..').textContent())?.replace(/\s+/g, ' ')).toContain(
		'1 flaggning: Personuppgifter (1)'
	);
	const tooLong = `${'Ett mycket långt skäl. '.repeat(22)}`.trim();
	expect(tooLong.length).toBeGreaterThan(500);
	await page.locator(`#reason-proposal-${id}`).evaluate((t) => t.removeAttribute('maxlength'));
	await page.locator(`#reason-proposal-${id}`).fill(tooLong);
	await decision.getByRole('button', { name: 'Dölj' }).click();
	await page.locator(`#reason-proposal-${id}-error`).waitFor();
	expect(await text(page, `#reason-proposal-${id}-error`)).toBe('Skäl: Skälet får vara högst 500 tecken.');
	expect(await page.locator(`#reason-proposal-${id}`).inputValue()).toBe(tooLong);
	expect(await summary(page)).toEqual(['Skäl: Skälet får vara högst 500 tecken.']);
	expect(await axeViolations(page)).toEqual([]);
	const item = decision.locator('xpath=..');
	await item.locator('summary', { hasText: 'Blockera skribenten' }).click();
	await item.getByRole('button', { name: 'Blockera i samtalet' }).click();
	await page.locator(`#block-reason-proposal-${id}-error`).waitFor();
	expect(await text(page, `#block-reason-proposal-${id}-error`)).toBe('Skäl: Måste fyllas i.');

	// Hidden with a public reason: the public page says why, and so does its history.
	await page.locator(`#reason-proposal-${id}`).fill(hideReason);
	await page
		.getByRole('form', { name: `Beslut om ${title}` })
		.getByRole('button', { name: 'Dölj' })
		.click();
	await page.getByRole('status').filter({ hasText: 'Innehållet döljs nu' }).waitFor();
	const hiddenList = page.locator('section[aria-labelledby="hidden-heading"]');
	expect(await hiddenList.textContent()).toContain(`Läge: Dolt med skälet ”${hideReason}”`);

	const visitor = await as(null, { javaScriptEnabled: false });
	await visitor.page.goto(path);
	expect(await text(visitor.page, 'h1')).toBe('Dolt förslag');
	expect(await text(visitor.page, 'main')).toContain(`Skäl: ${hideReason}`);
	expect(await text(visitor.page, 'main')).not.toContain('Gångvägen mellan stationen');
	expect(await text(visitor.page, '.history')).toContain(`Förslaget doldes. Skäl: ${hideReason}`);

	// Restored, with its reason; the public sees it again.
	// Another journey may have hidden a proposal of this space too: this one's own form.
	const hiddenDecision = hiddenList.getByRole('form', { name: `Beslut om ${title}` });
	await hiddenDecision.getByLabel('Skäl som visas för alla').fill(restoreReason);
	await hiddenDecision.getByRole('button', { name: 'Visa igen' }).click();
	await page.getByRole('status').filter({ hasText: 'Innehållet visas' }).waitFor();
	expect(await text(page, 'section[aria-labelledby="hidden-heading"]')).not.toContain(title);
	await visitor.page.goto(path);
	expect(await text(visitor.page, 'h1')).toBe(title);
	expect(await text(visitor.page, '.history')).toContain(`Förslaget visas igen. Skäl: ${restoreReason}`);
	await Promise.all([flagger.context.close(), editor.context.close(), visitor.context.close()]);
	answering.id = id;
});

test('an editor answers it: bad input kept, a draft, published from the work page; the public page shows it in both languages', async () => {
	const { id } = answering;
	expect(id).toBeGreaterThan(0);
	const path = `/dialogue/${ale}/proposals/${id}`;
	const { page, context } = await as('partnerEditor');

	// The draft form: the browser's checks off, blank texts and a bad link come back, as typed.
	await page.goto(`/dialogue/${ale}/manage/answer/${id}`);
	await noValidate(page, 'form[action="?/save"]');
	await page.locator('#state').selectOption('accepted');
	await page.locator('#text_sv').fill(' ');
	await page.locator('#text_en').fill(answerEn);
	await page.locator('#decisionUrl').fill('protokoll nr 12');
	await page.getByRole('button', { name: 'Spara utkast' }).click();
	await page.locator('.error-summary').waitFor();
	expect((await summary(page)).sort()).toEqual([
		'Beslutande organ på svenska: Måste fyllas i.',
		'Länk till beslutet: Ange en fullständig webbadress som börjar med https:// eller http://.',
		'Svar på svenska: Måste fyllas i.'
	]);
	expect(await text(page, '#text_sv-error')).toBe('Svar på svenska: Måste fyllas i.');
	expect(await text(page, '#decisionUrl-error')).toContain('Länk till beslutet:');
	expect(await page.locator('#state').inputValue()).toBe('accepted');
	expect(await page.locator('#text_en').inputValue()).toBe(answerEn);
	expect(await page.locator('#decisionUrl').inputValue()).toBe('protokoll nr 12');
	expect(await axeViolations(page)).toEqual([]);

	await page.locator('#text_sv').fill(answerSv);
	await page.locator('#decidedBy_sv').fill('Kommunstyrelsen');
	await page.locator('#decidedBy_en').fill('The municipal executive board');
	await page.locator('#decisionUrl').fill('https://example.se/protokoll/12');
	await page.getByRole('button', { name: 'Spara utkast' }).click();
	await page.getByRole('status').filter({ hasText: 'Utkastet sparades.' }).waitFor();

	// Not public before it is published.
	expect(await (await fetch(baseUrl() + path)).text()).not.toContain(answerSv);

	// Published from the work page: none chosen is refused, then the draft goes out.
	await page.goto(`/dialogue/${ale}/manage`);
	await page.getByRole('button', { name: 'Publicera valda svar' }).click();
	await page.locator('#answer-error').waitFor();
	expect(await text(page, '#answer-error')).toBe('Utkast: Välj minst ett utkast att publicera.');
	await page.getByLabel(title).check();
	await page.getByRole('button', { name: 'Publicera valda svar' }).click();
	await page.getByRole('status').filter({ hasText: 'Ett svar publicerades.' }).waitFor();

	// The templates' form takes bad input the same way (nothing is saved).
	await page.goto(`/dialogue/${ale}/manage/templates`);
	await page.locator('#new-state').selectOption('rejected');
	await page.locator('#new-text_en').fill('We cannot do this now.');
	await page.getByRole('button', { name: 'Spara mallen' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await text(page, '#new-name-error')).toBe('Namn: Måste fyllas i.');
	expect(await text(page, '#new-text_sv-error')).toBe('Svar på svenska: Måste fyllas i.');
	expect(await page.locator('#new-state').inputValue()).toBe('rejected');
	expect(await page.locator('#new-text_en').inputValue()).toBe('We cannot do this now.');
	expect(await axeViolations(page)).toEqual([]);
	await context.close();

	// The public page: the state, the answer with who decided, and the whole history.
	const visitor = await as(null, { javaScriptEnabled: false });
	await visitor.page.goto(path);
	expect(await text(visitor.page, '.facts')).toContain('Besvarat · Bifallet');
	const answer = visitor.page.locator('.answers .answer');
	expect(await text(visitor.page, '.answers h3')).toBe('Bifallet');
	expect(await answer.textContent()).toContain(answerSv);
	expect(await answer.textContent()).toContain('Beslutat av: Kommunstyrelsen');
	expect(await answer.getByRole('link', { name: 'Läs beslutet' }).getAttribute('href')).toBe(
		'https://example.se/protokoll/12'
	);
	const history = (await visitor.page.locator('.history li').allTextContents()).map((h) =>
		h.replace(/^[^:]*: /, '')
	);
	expect(history).toEqual(
		expect.arrayContaining([
			'Förslaget lämnades',
			`Förslaget doldes. Skäl: ${hideReason}`,
			`Förslaget visas igen. Skäl: ${restoreReason}`,
			'Ett svar publicerades (Bifallet)'
		])
	);
	await visitor.page.goto(`/en${path}`);
	expect(await text(visitor.page, '.facts')).toContain('Answered · Accepted');
	expect(await text(visitor.page, '.answers')).toContain(answerEn);
	expect(await text(visitor.page, '.answers')).toContain('Decided by: The municipal executive board');
	expect(await text(visitor.page, '.history')).toContain('An answer was published (Accepted)');
	await visitor.context.close();
});

test('the space editor sends bad input back with a message per field and everything as typed', async () => {
	const { page, context } = await as('partnerEditor');
	await page.goto(`/dialogue/${ale}/edit`);
	// Type only once the page has hydrated (the description editor mounts), or hydration could put
	// the old values back on a slow machine.
	await page.locator('[contenteditable="true"]').first().waitFor();
	const level = await page.locator('#level').inputValue();
	// A title is needed in one language at least: both are emptied.
	await page.locator('#title_sv').fill('');
	await page.locator('#title_en').fill('');
	await page.locator('#support_threshold').fill('många');
	expect(await page.locator('#title_sv').inputValue()).toBe('');
	await page.getByRole('button', { name: 'Spara' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual(
		expect.arrayContaining([
			'Rubrik på svenska: Måste fyllas i.',
			'Stöd som krävs för svar: Ange ett heltal inom gränserna.'
		])
	);
	expect(await page.locator('#support_threshold').inputValue()).toBe('många');
	expect(await page.locator('#title_en').inputValue()).toBe('');
	expect(await page.locator('#level').inputValue()).toBe(level);
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
	// Nothing was saved.
	expect(await (await fetch(`${baseUrl()}/dialogue/${ale}`)).text()).toContain(
		'Unga i Ale: hur vill du vara med och påverka?'
	);
});

/** A pre-moderated space of Hörby's, opened by the editor over HTTP (creating one is dialogue-spaces.spec.ts's). */
async function preModeratedSpace(): Promise<string> {
	const cookie = sessionOf('partnerEditor').cookie;
	const form = await (await fetch(`${baseUrl()}/dialogue/new`, { headers: { cookie } })).text();
	const owner = /<option value="(organization:\d+)"[^>]*>Hörby kommun/.exec(form)?.[1];
	expect(owner).toBeTruthy();
	const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
	const body = new URLSearchParams({
		owner: owner!,
		title_sv: `Granskade kommentarer ${Date.now()}`,
		description_sv: '<p>Här läser en moderator varje kommentar innan den visas.</p>',
		languages: 'sv',
		level: 'consultation',
		status: 'open',
		moderation: 'pre',
		requirement_proposals: 'verified-email',
		requirement_supports: 'verified-email',
		requirement_comments: 'verified-email',
		requirement_reports: 'verified-email',
		support_threshold: '50',
		support_window_days: '90',
		answer_days: '183',
		flags_to_hide: '3',
		phase_kind: 'input',
		phase_from: day(-1),
		phase_to: day(30),
		phase_opens_0: 'comments'
	});
	const res = await fetch(`${baseUrl()}/dialogue/new?/create`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl(),
			accept: 'text/html',
			cookie
		},
		body
	});
	expect(res.status).toBe(303);
	return new URL(res.headers.get('location') ?? '', baseUrl()).pathname.split('/').pop()!;
}

test('in a pre-moderated space a comment waits for a moderator: its author sees it marked, others nothing, until it is approved', async () => {
	const slug = await preModeratedSpace();
	const debate = `/dialogue/${slug}/debate`;
	const words = 'Kan vi få fler bänkar vid busshållplatsen? (Ett exempel i testet.)';

	// A resident without JavaScript: told beforehand, then sees their comment marked as waiting.
	const writer = await as('coordinator', { javaScriptEnabled: false });
	await writer.page.goto(debate);
	expect(await text(writer.page, '#comments')).toContain(
		'Kommentarer här läses av en moderator innan andra ser dem.'
	);
	await writer.page.locator('#comment-new-comment').fill(words);
	await writer.page.getByRole('button', { name: 'Skicka kommentaren till granskning' }).click();
	await writer.page.waitForURL(/#comment-\d+$/);
	const id = Number(/#comment-(\d+)$/.exec(writer.page.url())![1]);
	const own = `#comment-${id}`;
	expect(await text(writer.page, own)).toContain(words);
	expect(await text(writer.page, own)).toContain(
		'Väntar på granskning: bara du ser kommentaren tills en moderator har godkänt den.'
	);
	expect(
		await writer.page
			.locator(own)
			.locator('summary')
			.filter({ hasText: /^Svara/ })
			.count()
	).toBe(0);
	expect(await text(writer.page, '#comments')).toContain('1 tråd');
	// (axe needs JavaScript in the page: the same view, checked with it.)
	const writerWithJs = await as('coordinator');
	await writerWithJs.page.goto(debate);
	await writerWithJs.page.locator(own).waitFor();
	expect(await axeViolations(writerWithJs.page)).toEqual([]);
	await writerWithJs.context.close();

	// Another resident, with JavaScript, and a visitor see nothing of it, not even a placeholder.
	const other = await as('partnerPeja');
	await other.page.goto(debate);
	expect(await text(other.page, '#comments')).toContain('Inga kommentarer ännu.');
	expect(await other.page.locator(own).count()).toBe(0);
	const anonymousPage = await (await fetch(`${baseUrl()}${debate}`)).text();
	expect(anonymousPage).not.toContain(words);
	expect(anonymousPage).not.toContain(`comment-${id}`);
	const api = await (await fetch(`${baseUrl()}/api/v1/comments?space=${slug}`)).json();
	expect(api.items).toEqual([]);

	// The moderator: the held comment stands in the queue, said once where it is; refusing
	// without a reason is sent back clear of the tab links; then it is approved.
	const moderator = await as('partnerEditor');
	const { page } = moderator;
	await page.goto(`/dialogue/${slug}/manage/moderation`);
	const held = page.locator('section[aria-labelledby="held-heading"]');
	expect(await text(page, '#held-heading')).toBe('Kommentarer som väntar på granskning');
	expect(await held.locator('h3').allTextContents()).toEqual(['Kommentar i samtalets debatt']);
	expect(await text(page, 'section[aria-labelledby="held-heading"] .text')).toBe(words);
	expect(await axeViolations(page)).toEqual([]);
	await held.getByRole('button', { name: /^Avvisa kommentaren av / }).click();
	await page.locator(`#reason-refuse-comment-${id}-error`).waitFor();
	expect(await summary(page)).toEqual(['Skäl: Måste fyllas i.']);
	const gap = await page.evaluate(() => {
		const nav = document.querySelector('.work-nav')!.getBoundingClientRect();
		const box = document.querySelector('.error-summary')!.getBoundingClientRect();
		return box.top - nav.bottom;
	});
	expect(gap).toBeGreaterThanOrEqual(16);
	expect(await axeViolations(page)).toEqual([]);
	await held.getByRole('button', { name: /^Godkänn kommentaren av / }).click();
	await page
		.getByRole('status')
		.filter({ hasText: 'Kommentaren är godkänd och syns nu för alla.' })
		.waitFor();
	expect(await text(page, 'section[aria-labelledby="held-heading"]')).toContain(
		'Inga kommentarer väntar på granskning.'
	);

	// Now everyone sees it, unmarked; the other resident may answer it.
	await other.page.reload();
	expect(await text(other.page, own)).toContain(words);
	expect(
		await other.page
			.locator(own)
			.locator('summary')
			.filter({ hasText: /^Svara/ })
			.count()
	).toBe(1);
	expect(await (await fetch(`${baseUrl()}${debate}`)).text()).toContain(words);
	// Reported from the debate: back at the comment, the page thanks the reporter.
	await other.page
		.locator(own)
		.getByRole('link', { name: /^Anmäl kommentaren av / })
		.click();
	await other.page.waitForURL(new RegExp(`/flag\\?comment=${id}$`));
	await other.page.getByLabel('Personuppgifter').check();
	await other.page.getByRole('button', { name: 'Skicka anmälan' }).click();
	await other.page.waitForURL(new RegExp(`${debate}\\?flagged=1#comment-${id}$`));
	expect(await other.page.getByRole('status').first().textContent()).toBe(
		'Tack. Moderatorerna har fått din anmälan.'
	);
	await writer.page.reload();
	expect(await text(writer.page, own)).not.toContain('Väntar på granskning');
	await Promise.all([writer.context.close(), other.context.close(), moderator.context.close()]);
}, 180_000);
