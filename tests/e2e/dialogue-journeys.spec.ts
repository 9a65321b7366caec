import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, baseUrl, launch, open, openAs, sessionOf } from './browser.ts';
import type { PreparedPerson } from './people.ts';

// Issue 10, the participants' side: a resident writes a proposal without JavaScript (bad input
// sent back as typed, the similar proposals shown before it is saved) and corrects it; two others
// support it, with JavaScript and without, comment and reply (three levels); every dialogue page
// passes axe in both languages and fits 320 px. The moderators' and answerers' side is in
// dialogue-moderation.spec.ts. (The notification mail and unsubscribing get journeys of their own.)

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const ale = 'unga-i-ale-vara-med-och-paverka';
const debate = 'torget-i-horby-och-peja';
/** The demo's answered proposal and the one waiting for its answer (see dialogue/demo.ts). */
const answered = 1;
const toAnswer = 2;

const title = 'Fler kvällsbussar till fritidsgårdarna i Skepplanda';
const corrected = 'Fler kvällsbussar till fritidsgården i Skepplanda';
const body =
	'Sista bussen från fritidsgården i Skepplanda går före klockan 21 på fredagar. Låt en buss gå klockan 22 också, så att fler kan stanna kvar på aktiviteterna.';
/** The proposal's address once it is written (the tests of this file run in order). */
let proposal = '';

async function as(who: PreparedPerson | null, options: { javaScriptEnabled?: boolean; width?: number } = {}) {
	const opened = who ? await openAs(browser, who, options) : await open(browser, options);
	opened.page.setDefaultTimeout(30_000); // Playwright's own: the other worker may hold the server for seconds
	return opened;
}

const summary = (page: Page) => page.locator('.error-summary li').allTextContents();
/** An element's text as a reader sees it: white space collapsed. */
const text = async (page: Page, selector: string) =>
	(await page.locator(selector).textContent())?.replace(/\s+/g, ' ').trim();

test('a resident writes a proposal without JavaScript: bad input comes back as typed, similar ones are shown, then it is corrected', async () => {
	const { page, context } = await as('tableReader', { javaScriptEnabled: false });
	await page.goto(`/dialogue/${ale}`);
	await page.getByRole('link', { name: 'Skriv ett förslag' }).click();
	await page.waitForURL(new RegExp(`/dialogue/${ale}/proposals/new$`));
	expect(await text(page, 'h1')).toBe('Lämna ett förslag');

	// Too short a title and a blank text: a message at each field, everything as typed.
	await page.locator('#proposalTitle').fill('Buss');
	await page.locator('#proposalBody').fill('   ');
	await page.locator('#proposalPlace').fill('Skepplanda');
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await summary(page)).toEqual(['Rubrik: Skriv minst 5 tecken.', 'Förslaget: Måste fyllas i.']);
	expect(await text(page, '#proposalTitle-error')).toBe('Rubrik: Skriv minst 5 tecken.');
	expect(await text(page, '#proposalBody-error')).toBe('Förslaget: Måste fyllas i.');
	expect(await page.locator('#proposalTitle').inputValue()).toBe('Buss');
	expect(await page.locator('#proposalPlace').inputValue()).toBe('Skepplanda');

	// Like a proposal already there: it is shown first, with the text kept, and sent on request.
	await page.locator('#proposalTitle').fill(title);
	await page.locator('#proposalBody').fill(body);
	await page.getByRole('button', { name: 'Skicka förslaget' }).click();
	await page.getByRole('heading', { name: 'Finns ditt förslag redan?' }).waitFor();
	expect(await page.locator('.similar a').allTextContents()).toContain(
		'Fler kvällsbussar till fritidsgårdarna'
	);
	expect(await page.locator('#proposalTitle').inputValue()).toBe(title);
	expect(await page.locator('#proposalBody').inputValue()).toBe(body);
	expect(await page.locator('#proposalPlace').inputValue()).toBe('Skepplanda');
	await page.getByRole('button', { name: 'Skicka mitt förslag ändå' }).click();
	await page.waitForURL(new RegExp(`/dialogue/${ale}/proposals/\\d+$`));
	proposal = new URL(page.url()).pathname;
	expect(await text(page, 'h1')).toBe(title);
	expect(await text(page, '.eyebrow')).toBe('Ditt förslag');
	const facts = await text(page, '.facts');
	expect(facts).toContain('Samlar stöd');
	expect(facts).toContain('tableReader');
	expect(facts).toContain('Skepplanda');
	expect(await text(page, '#supports-heading')).toBe('0 stöd');
	const history = await text(page, '.history');
	expect(history).toContain('Förslaget lämnades');
	expect(history).toContain('Förslaget publicerades');

	// Corrected within the window: a blank title is refused with the text kept, then saved.
	await page.getByRole('link', { name: 'Ändra förslaget' }).click();
	await page.waitForURL(new RegExp(`${proposal}/edit$`));
	// The form repeats until when it is open: 15 minutes from writing it.
	expect(await text(page, 'main')).toMatch(/Du kan ändra förslaget fram till kl\. \d\d:\d\d/);
	await page.locator('#proposalTitle').fill(' ');
	await page.locator('#proposalBody').fill(`${body} Gärna året runt.`);
	await page.getByRole('button', { name: 'Spara ändringarna' }).click();
	await page.locator('.error-summary').waitFor();
	expect(await text(page, '#proposalTitle-error')).toBe('Rubrik: Måste fyllas i.');
	expect(await page.locator('#proposalBody').inputValue()).toBe(`${body} Gärna året runt.`);
	await page.locator('#proposalTitle').fill(corrected);
	await page.getByRole('button', { name: 'Spara ändringarna' }).click();
	await page.waitForURL(new RegExp(`${proposal}\\?saved$`));
	expect(await page.getByRole('status').first().textContent()).toContain('Dina ändringar är sparade.');
	expect(await text(page, 'h1')).toBe(corrected);
	expect(await text(page, '.proposal-text')).toContain('Gärna året runt.');
	expect(await text(page, '.history')).toContain('Förslaget ändrades av förslagsställaren');
	await context.close();
});

/** The dialogue pages, each with who may open it (the work pages are the editors'). */
function dialoguePages(): { path: string; who: PreparedPerson | null }[] {
	return [
		{ path: '/dialogue', who: null },
		{ path: `/dialogue/${ale}`, who: null },
		{ path: `/dialogue/${ale}/proposals/${answered}`, who: null },
		{ path: `/dialogue/${ale}/proposals/new`, who: 'partnerEditor' },
		{ path: `${proposal}`, who: 'tableReader' },
		{ path: `${proposal}/edit`, who: 'tableReader' },
		{ path: `/dialogue/${debate}/debate`, who: 'partnerEditor' },
		{ path: `/dialogue/${ale}/flag?proposal=${toAnswer}`, who: 'partnerEditor' },
		{ path: `/dialogue/${ale}/manage`, who: 'partnerEditor' },
		{ path: `/dialogue/${ale}/manage/answer/${toAnswer}`, who: 'partnerEditor' },
		{ path: `/dialogue/${ale}/manage/templates`, who: 'partnerEditor' },
		{ path: `/dialogue/${ale}/manage/moderation`, who: 'partnerEditor' },
		{ path: '/admin/dialogue', who: 'partnerEditor' },
		{ path: '/dialogue/new', who: 'partnerEditor' },
		{ path: `/dialogue/${ale}/edit`, who: 'partnerEditor' }
	];
}

/**
 * Runs `check` on each page, a few at a time, each person in a context of their own. A lane keeps
 * one page per person and navigates it (a new page starts a renderer: most of a second of CPU).
 */
async function everyPage(check: (page: Page, path: string) => Promise<void>, paths = dialoguePages()) {
	const contexts = new Map<string, Promise<BrowserContext>>();
	/** A page of the person's context: the one it opened with for the first lane to ask. */
	const pageOf = async (key: string, who: PreparedPerson | null) => {
		if (contexts.has(key)) return (await contexts.get(key)!).newPage();
		const opened = as(who);
		contexts.set(
			key,
			opened.then((o) => o.context)
		);
		return (await opened).page;
	};
	const queue = [...paths];
	await Promise.all(
		[0, 1, 2].map(async () => {
			const pages = new Map<string, Page>();
			for (let next = queue.shift(); next; next = queue.shift()) {
				const key = next.who ?? 'anonymous';
				let page = pages.get(key);
				if (!page) {
					page = await pageOf(key, next.who);
					page.setDefaultTimeout(30_000);
					pages.set(key, page);
				}
				await check(page, next.path);
			}
		})
	);
	for (const context of contexts.values()) await (await context).close();
}

/**
 * Where a page is too wide: each element that reaches past the window's right edge while its
 * parent does not (the one that pushes out), named with its width (to say in a failure).
 */
const widest = (page: Page) =>
	page.evaluate(() => {
		const past = (e: Element | null) => !!e && e.getBoundingClientRect().right > window.innerWidth + 1;
		return [...document.querySelectorAll('body *')]
			.filter((e) => past(e) && !past(e.parentElement))
			.slice(0, 4)
			.map((e) => {
				const name = `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${[...e.classList].map((c) => `.${c}`).join('')}`;
				return `${name} (${Math.round(e.getBoundingClientRect().width)} px)`;
			})
			.join(', ');
	});

// Every page at two widths in two languages: on a busy machine, past the default minute.
test('every dialogue page passes axe in Swedish and English, and fits 320 px without sideways scrolling', async () => {
	expect(proposal).not.toBe('');
	const failures: string[] = [];
	await everyPage(async (page, path) => {
		for (const address of [path, `/en${path}`]) {
			const res = await page.goto(address);
			if (res?.status() !== 200) failures.push(`${address}: ${res?.status()}`);
			for (const v of await axeViolations(page)) failures.push(`${address}: ${v}`);
			if (address !== path) continue;
			// The same page on a 320 px screen (WCAG 1.4.10): nothing to scroll sideways.
			await page.setViewportSize({ width: 320, height: 900 });
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			if (overflow > 0) failures.push(`${path} at 320 px: ${overflow} px too wide, ${await widest(page)}`);
			await page.setViewportSize({ width: 1280, height: 900 });
		}
	});
	expect(failures).toEqual([]);

	// A form sent back with its messages passes too: the author's withdrawal without the tick
	// (the browser's own check switched off, as a client without it would send it).
	const { page, context } = await as('tableReader');
	await page.goto(`/en${proposal}`);
	await page.locator('form[action="?/withdraw"]').evaluate((f) => ((f as HTMLFormElement).noValidate = true));
	await page.getByRole('button', { name: 'Withdraw', exact: true }).click();
	await page.locator('#confirmWithdraw-error').waitFor();
	expect(await text(page, '#confirmWithdraw-error')).toBe('Confirmation: Tick the box to confirm.');
	expect(await text(page, '.facts')).toContain('Collecting supports');
	expect(await axeViolations(page)).toEqual([]);
	await context.close();
}, 180_000);

/** The comment in the page's address (`#comment-12`) after a comment or reply was sent. */
const sentComment = async (page: Page) => {
	await page.waitForURL(/#comment-\d+$/);
	return Number(/#comment-(\d+)$/.exec(page.url())![1]);
};

test('two residents support it, with and without JavaScript, and comment and reply; bad input is sent back as typed', async () => {
	expect(proposal).not.toBe('');
	// Without JavaScript: support, then a blank comment (kept stance), then the comment.
	const first = await as('coordinator', { javaScriptEnabled: false });
	await first.page.goto(proposal);
	await first.page.getByRole('button', { name: 'Stöd förslaget' }).click();
	await first.page.getByRole('status').filter({ hasText: 'Tack! Ditt stöd är registrerat.' }).waitFor();
	expect(await text(first.page, '#supports-heading')).toBe('1 stöd');
	expect(await text(first.page, '.supported')).toBe('✓ Du stöder det här förslaget.');
	expect(await first.page.getByRole('button', { name: 'Stöd förslaget' }).count()).toBe(0);

	await first.page.locator('#comment-new-comment').fill('  ');
	await first.page.locator('#comment-new-stance').selectOption('for');
	await first.page.getByRole('button', { name: 'Publicera kommentaren' }).click();
	await first.page.locator('#comment-new-comment-error').waitFor();
	expect(await text(first.page, '#comment-new-comment-error')).toBe('Kommentar: Måste fyllas i.');
	expect(await first.page.locator('#comment-new-stance').inputValue()).toBe('for');
	const comment = 'Bra förslag. Jag tar bussen från Alafors och missar slutet på varje träff.';
	await first.page.locator('#comment-new-comment').fill(comment);
	await first.page.getByRole('button', { name: 'Publicera kommentaren' }).click();
	const commentId = await sentComment(first.page);
	expect(await text(first.page, `#comment-${commentId} .comment-body`)).toBe(comment);
	expect(await text(first.page, `#comment-${commentId} .comment-meta`)).toContain('Ställningstagande: För');

	// With JavaScript: the second support, a blank reply, the reply, a blank edit of it.
	const second = await as('partnerPeja');
	await second.page.goto(proposal);
	await second.page.getByRole('button', { name: 'Stöd förslaget' }).click();
	await second.page.getByRole('status').filter({ hasText: 'Tack! Ditt stöd är registrerat.' }).waitFor();
	expect(await text(second.page, '#supports-heading')).toBe('2 stöd');
	const replyTo = async (page: Page, id: number, typed: string) => {
		const item = page.locator(`#comment-${id} > article`);
		if ((await item.locator('details').first().getAttribute('open')) === null) {
			await item.locator('summary', { hasText: 'Svara' }).click();
		}
		await page.locator(`#reply-${id}-comment`).fill(typed);
		await item.getByRole('button', { name: 'Skicka svaret' }).click();
	};
	await replyTo(second.page, commentId, ' ');
	await second.page.locator(`#reply-${commentId}-comment-error`).waitFor();
	expect(await text(second.page, `#reply-${commentId}-comment-error`)).toBe('Kommentar: Måste fyllas i.');
	const reply = 'Samma sak i Nödinge. En buss klockan 22 skulle räcka långt.';
	await replyTo(second.page, commentId, reply);
	const replyId = await sentComment(second.page);
	expect(
		await text(second.page, `#comment-${commentId} .comment-replies #comment-${replyId} .comment-body`)
	).toBe(reply);
	const mine = second.page.locator(`#comment-${replyId} > article`);
	await mine.locator('summary', { hasText: 'Ändra' }).click();
	await second.page.locator(`#edit-${replyId}-comment`).fill('\t');
	await second.page.locator(`#edit-${replyId}-stance`).selectOption('neutral');
	await mine.getByRole('button', { name: 'Spara ändringen' }).click();
	await second.page.locator(`#edit-${replyId}-comment-error`).waitFor();
	expect(await text(second.page, `#edit-${replyId}-comment-error`)).toBe('Kommentar: Måste fyllas i.');
	expect(await second.page.locator(`#edit-${replyId}-stance`).inputValue()).toBe('neutral');
	expect(await axeViolations(second.page)).toEqual([]);
	await second.context.close();

	// The first answers the reply (the third level), without JavaScript.
	await first.page.goto(proposal);
	await replyTo(first.page, replyId, 'Då skriver vi till kollektivtrafiknämnden tillsammans!');
	const third = await sentComment(first.page);
	expect(
		await first.page.locator(`#comment-${commentId} #comment-${replyId} #comment-${third}`).count()
	).toBe(1);
	// No reply to a reply to a reply is offered.
	expect(await first.page.locator(`#reply-${third}-comment`).count()).toBe(0);

	// The debate's form takes bad input the same way.
	await first.page.goto(`/dialogue/${debate}/debate`);
	await first.page.locator('#comment-new-comment').fill(' ');
	await first.page.locator('#comment-new-stance').selectOption('against');
	await first.page.getByRole('button', { name: 'Publicera kommentaren' }).click();
	await first.page.locator('#comment-new-comment-error').waitFor();
	expect(await summary(first.page)).toEqual(['Kommentar: Måste fyllas i.']);
	expect(await first.page.locator('#comment-new-stance').inputValue()).toBe('against');
	await first.context.close();

	// Supported and commented: the author can no longer change it.
	const authorView = await fetch(baseUrl() + proposal, {
		headers: { cookie: sessionOf('tableReader').cookie }
	});
	const html = await authorView.text();
	expect(html).toContain('2 stöd');
	expect(html).not.toContain('Ändra förslaget');
});

/** Whether an element's box lies within the window's width (nothing hidden past its right edge). */
const onScreen = async (page: Page, selector: string) => {
	const box = await page.locator(selector).first().boundingBox();
	return !!box && box.x >= 0 && box.x + box.width <= page.viewportSize()!.width;
};

test('each reader is offered what they may do: no support of one’s own, the answer form for answerers, nothing of proposals in a debate', async () => {
	expect(proposal).not.toBe('');
	// Three readers in contexts of their own, side by side: nothing one does is seen by another.
	const asAuthor = async () => {
		// Its author: no support button (supporting it would end the right to edit it), the edit
		// form says until when it is open, and the withdrawal's tick sits beside its words.
		const author = await as('tableReader', { javaScriptEnabled: false });
		await author.page.goto(proposal);
		expect(await author.page.getByRole('button', { name: 'Stöd förslaget' }).count()).toBe(0);
		expect(await text(author.page, '.refusal')).toBe('Du kan inte stödja ditt eget förslag.');
		expect(await author.page.getByRole('link', { name: 'Svara på förslaget' }).count()).toBe(0);
		const tick = await author.page.getByLabel('Jag vill ta tillbaka mitt förslag').boundingBox();
		const words = await author.page.locator('label.check').boundingBox();
		expect(tick!.x).toBeLessThan(words!.x + 5);
		expect(tick!.y).toBeLessThan(words!.y + words!.height / 2);
		expect(
			await author.page.getByRole('button', { name: 'Ta tillbaka', exact: true }).getAttribute('class')
		).toContain('danger');
		// The proposal's support is refused by the server too, as the page says.
		const refused = await fetch(`${baseUrl()}${proposal}?/support`, {
			method: 'POST',
			headers: {
				cookie: sessionOf('tableReader').cookie,
				origin: baseUrl(),
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html'
			},
			body: ''
		});
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('Formuläret: Du kan inte stödja ditt eget förslag.');
		await author.context.close();
	};

	const asAnswerer = async () => {
		// An answerer goes from the proposal to its answer form: one that says what it requires and
		// lists what is missing in the form's own order.
		const answerer = await as('partnerEditor', { javaScriptEnabled: false });
		await answerer.page.goto(`/dialogue/${ale}`);
		expect(await answerer.page.getByRole('link', { name: 'Arbetsyta', exact: true }).count()).toBe(1);
		await answerer.page.goto(`/dialogue/${ale}/proposals/${toAnswer}`);
		await answerer.page.getByRole('link', { name: 'Svara på förslaget' }).click();
		await answerer.page.waitForURL(new RegExp(`/dialogue/${ale}/manage/answer/${toAnswer}$`));
		expect(await answerer.page.getByLabel('Beslut', { exact: true }).count()).toBe(1);
		expect(await text(answerer.page, '#text_en-help')).toContain('Krävs på vart och ett av samtalets språk');
		for (const id of ['#text_sv', '#text_en', '#decidedBy_sv', '#decidedBy_en']) {
			await answerer.page.locator(id).fill('');
		}
		await answerer.page.getByRole('button', { name: 'Spara utkast' }).click();
		await answerer.page.locator('.error-summary').waitFor();
		expect(await summary(answerer.page)).toEqual([
			'Svar på svenska: Måste fyllas i.',
			'Beslutande organ på svenska: Måste fyllas i.',
			'Svar på engelska: Måste fyllas i.'
		]);
		// The work list on a phone: each row's deadline and its link on screen.
		await answerer.page.setViewportSize({ width: 320, height: 900 });
		await answerer.page.goto(`/dialogue/${ale}/manage`);
		expect(await onScreen(answerer.page, '.to-answer tbody tr td:nth-child(4)')).toBe(true);
		expect(await onScreen(answerer.page, '.to-answer tbody tr td:nth-child(5) a')).toBe(true);
		await answerer.context.close();
	};

	const asVisitor = async () => {
		// A space for debate only: nothing of proposals, supports or answers to them.
		const visitor = await as(null, { javaScriptEnabled: false });
		await visitor.page.goto(`/dialogue/${debate}`);
		expect(await visitor.page.locator('#proposals-heading').count()).toBe(0);
		expect(await visitor.page.locator('.answer-figures').count()).toBe(0);
		const facts = await text(visitor.page, '.facts');
		expect(facts).toContain('Kommentarer: Alla med bekräftad e-postadress');
		expect(facts).not.toContain('Stöd:');
		expect(facts).not.toContain('offentligt svar');
		// Its debate: the space's title is the heading, "Debatt" the line above it.
		await visitor.page.goto(`/dialogue/${debate}/debate`);
		expect(await text(visitor.page, 'h1')).toBe('Torget: parkering eller mötesplats?');
		expect(await text(visitor.page, '.eyebrow')).toBe('Debatt');
		await visitor.context.close();
	};
	await Promise.all([asAuthor(), asAnswerer(), asVisitor()]);
});
