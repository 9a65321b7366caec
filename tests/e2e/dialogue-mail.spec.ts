import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { axeViolations, baseUrl, lastMail, launch, mailTo, open, openAs } from './browser.ts';
import { withCookies } from './sessions.ts';

// Issue 10, "get the mail, unsubscribe": two residents (one reading Swedish, one English) choose a
// mail for each event on their account page and follow a demo proposal without JavaScript; an
// editor publishes an answer to it; each gets ONE mail in their language with the proposal's
// absolute link and the one-click unsubscribe headers. The Swedish one stops the follow through the
// mail's link (a page with a button); the English one's mail program does it with a one-click POST
// (no Origin, no cookies). A reply to a resident's comment reaches them as a mail too.

let browser: Browser;
beforeAll(async () => {
	browser = await launch();
});
afterAll(() => browser?.close());

const ale = 'unga-i-ale-vara-med-och-paverka';
const spaceSv = 'Unga i Ale: hur vill du vara med och påverka?';
const spaceEn = 'Young people in Ale: how do you want to have a say?';
/**
 * A demo proposal collecting supports (see dialogue/demo.ts) that no other journey reads or
 * changes: the one waiting for its answer (2) must stay unanswered for dialogue-spaces.spec.ts.
 */
const followed = 5;
const title = 'Sommarjobb i kommunens egna verksamheter';
const proposalPath = `/dialogue/${ale}/proposals/${followed}`;
/** Another demo proposal, collecting supports: the comment and its reply. */
const commented = 4;
const commentedTitle = 'Lagliga graffitiväggar i Nödinge och Älvängen';

/** Two residents who sign up for this journey (nobody else gets or reads their mail). */
const residents = {
	sv: {
		name: 'Saga Mejlsdotter',
		email: 'saga.mejlsdotter@example.se',
		password: 'sagas långa lösenfras för mejlen',
		lang: 'sv'
	},
	en: {
		name: 'Robin Mailson',
		email: 'robin.mailson@example.org',
		password: 'robins long passphrase for mail',
		lang: 'en'
	}
} as const;
type Resident = keyof typeof residents;
/** Their session cookies, from the confirmation link of their sign-up mail. */
const cookies: Record<Resident, string> = { sv: '', en: '' };

/** Signs a resident up with the sign-up form (over HTTP: sign-up.spec.ts walks it) and confirms the address. */
async function signUp(who: Resident): Promise<string> {
	const me = residents[who];
	const before = lastMail();
	const res = await fetch(`${baseUrl()}/sign-up`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl(),
			accept: 'text/html'
		},
		body: new URLSearchParams({
			displayName: me.name,
			email: me.email,
			password: me.password,
			lang: me.lang
		})
	});
	expect(res.status).toBe(200);
	const confirm = await mailTo(me.email, before);
	const confirmed = await fetch(confirm.links[0]!, { redirect: 'manual' });
	expect(confirmed.status).toBeGreaterThanOrEqual(300);
	expect(confirmed.headers.get('location')).toContain(
		me.lang === 'en' ? '/en/account?welcome' : '/account?welcome'
	);
	return withCookies('', confirmed);
}

/** A browser context signed in as a resident. */
async function asResident(who: Resident, options: { javaScriptEnabled?: boolean } = {}) {
	const opened = await open(browser, options);
	opened.page.setDefaultTimeout(10_000);
	await opened.context.addCookies(
		cookies[who]
			.split('; ')
			.filter(Boolean)
			.map((pair) => ({
				name: pair.slice(0, pair.indexOf('=')),
				value: pair.slice(pair.indexOf('=') + 1),
				url: baseUrl()
			}))
	);
	return opened;
}

interface Mail {
	file: string;
	subject: string;
	text: string;
	/** Header lines by lower-case name, unfolded. */
	headers: Map<string, string>;
}

/** Every message the app sent to `address` after message number `after`. */
async function mailsTo(address: string, after: number): Promise<Mail[]> {
	const dir = inject('mailDir');
	const found: Mail[] = [];
	for (const file of readdirSync(dir).sort()) {
		if (Number(file.slice(0, 4)) <= after) continue;
		const parsed = await simpleParser(readFileSync(path.join(dir, file)));
		const to = [parsed.to].flat().flatMap((a) => a?.value.map((v) => v.address) ?? []);
		if (!to.includes(address)) continue;
		const headers = new Map(
			parsed.headerLines.map((h) => {
				const line = h.line.replace(/\r?\n(?=[ \t])/g, '');
				return [h.key.toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as const;
			})
		);
		found.push({ file, subject: parsed.subject ?? '', text: parsed.text ?? '', headers });
	}
	return found;
}

/**
 * The first message to `address` after `after` whose subject ends so, polled until a deadline:
 * the module's tick (every REVISION_POLL_MS, 2 s in the e2e server) makes the notification and the
 * outbox sends it.
 */
async function waitForMail(address: string, after: number, subjectEnd: string): Promise<Mail> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const mail = (await mailsTo(address, after)).find((m) => m.subject.endsWith(subjectEnd));
		if (mail) return mail;
		if (Date.now() > deadline) throw new Error(`No mail “…${subjectEnd}” to ${address} within 20 s`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

/** The address in a List-Unsubscribe header (`<https://…>`). */
const unsubscribeAddress = (mail: Mail) =>
	/^<([^>]+)>$/.exec(mail.headers.get('list-unsubscribe') ?? '')?.[1];

/** An element's text as a reader sees it: white space collapsed. */
const text = async (page: Page, selector: string) =>
	(await page.locator(selector).first().textContent())?.replace(/\s+/g, ' ').trim();

/** The first journey's end, which the second builds on (they run in order). */
const journey = { svUnsubscribed: false };

test('residents who follow a proposal get one mail each about its answer, in their language, and stop it from the mail', async () => {
	[cookies.sv, cookies.en] = await Promise.all([signUp('sv'), signUp('en')]);
	const sv = await asResident('sv', { javaScriptEnabled: false });
	const en = await asResident('en', { javaScriptEnabled: false });

	// A mail for each event, chosen on the account page; then the follow button on the proposal.
	const chooseAndFollow = async (page: Page, lang: Resident) => {
		const words =
			lang === 'sv'
				? { prefix: '', single: 'Ett mejl för varje händelse', save: 'Spara inställningarna' }
				: { prefix: '/en', single: 'One email for each event', save: 'Save settings' };
		await page.goto(`${words.prefix}/account`);
		await page.getByRole('radio', { name: words.single }).check();
		await page.getByRole('button', { name: words.save }).click();
		await page.waitForURL(new RegExp(`^${baseUrl()}${words.prefix}/account\\?saved$`));
		expect(await page.getByRole('radio', { name: words.single }).isChecked()).toBe(true);
		await page.goto(`${words.prefix}${proposalPath}`);
		await page
			.getByRole('button', { name: lang === 'sv' ? 'Följ förslaget' : 'Follow this proposal' })
			.click();
		await page.waitForURL(new RegExp(`${proposalPath}\\?follow=follow#follow$`));
		expect(await text(page, '#follow [role=status]')).toBe(
			lang === 'sv' ? 'Nu följer du förslaget.' : 'You now follow this proposal.'
		);
		expect(
			await page
				.getByRole('button', {
					name: lang === 'sv' ? 'Sluta följa förslaget' : 'Stop following this proposal'
				})
				.count()
		).toBe(1);
		// Following the whole dialogue, and stopping again, each confirmed by the button.
		await page.goto(`${words.prefix}/dialogue/${ale}`);
		const space =
			lang === 'sv'
				? ['Följ dialogen', 'Nu följer du dialogen.', 'Sluta följa dialogen']
				: ['Follow this dialogue', 'You now follow this dialogue.', 'Stop following this dialogue'];
		await page.getByRole('button', { name: space[0] }).click();
		expect(await text(page, '#follow [role=status]')).toBe(space[1]);
		await page.getByRole('button', { name: space[2] }).click();
		await page.waitForURL(new RegExp(`/dialogue/${ale}\\?follow=unfollow#follow$`));
		expect(await text(page, '#follow [role=status]')).toBe(
			lang === 'sv'
				? 'Du följer inte längre dialogen och får ingen mer e-post om den.'
				: 'You no longer follow this dialogue and will get no more mail about it.'
		);
		expect(await page.getByRole('button', { name: space[0] }).count()).toBe(1);
	};
	await Promise.all([chooseAndFollow(sv.page, 'sv'), chooseAndFollow(en.page, 'en')]);

	// An editor drafts the answer and publishes it from the space's work page.
	const before = lastMail();
	const editor = await openAs(browser, 'partnerEditor');
	editor.page.setDefaultTimeout(10_000);
	const { page } = editor;
	await page.goto(`/dialogue/${ale}/manage/answer/${followed}`);
	await page.locator('#state').selectOption('evaluating');
	await page
		.locator('#text_sv')
		.fill(
			'Personalutskottet utreder hur många sommarjobb kommunens verksamheter kan erbjuda. (Exempel i testet.)'
		);
	await page
		.locator('#text_en')
		.fill(
			'The staff committee is looking into how many summer jobs the municipality can offer. (A test example.)'
		);
	await page.locator('#decidedBy_sv').fill('Personalutskottet');
	await page.locator('#decidedBy_en').fill('The staff committee');
	await page.getByRole('button', { name: 'Spara utkast' }).click();
	await page.getByRole('status').filter({ hasText: 'Utkastet sparades.' }).waitFor();
	await page.goto(`/dialogue/${ale}/manage`);
	// Its draft by name and state (other journeys' drafts may be listed too).
	await page.getByLabel(`${title} – Utreds`, { exact: true }).check();
	await page.getByRole('button', { name: 'Publicera valda svar' }).click();
	await page.getByRole('status').filter({ hasText: 'Ett svar publicerades.' }).waitFor();
	await editor.context.close();

	// One mail each, in the account's language, with the proposal's absolute address.
	const [svMail, enMail] = await Promise.all([
		waitForMail(residents.sv.email, before, 'förslaget har fått svar'),
		waitForMail(residents.en.email, before, 'the proposal has been answered')
	]);
	expect(svMail.subject).toBe(`${spaceSv}: förslaget har fått svar`);
	expect(svMail.text).toContain(`Hej ${residents.sv.name}!`);
	expect(svMail.text).toContain(`Förslaget ”${title}” har fått ett svar: Utreds.`);
	expect(svMail.text).toContain(`Läs mer: ${baseUrl()}${proposalPath}\n`);
	expect(enMail.subject).toBe(`${spaceEn}: the proposal has been answered`);
	expect(enMail.text).toContain(`Hello ${residents.en.name},`);
	expect(enMail.text).toContain(`The proposal “${title}” has been answered: Being evaluated.`);
	expect(enMail.text).toContain(`Read more: ${baseUrl()}/en${proposalPath}\n`);

	// One-click unsubscribe (RFC 8058) for the follow the mail came through; the same link in the text.
	for (const [mail, prefix] of [
		[svMail, ''],
		[enMail, '/en']
	] as const) {
		expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
		const address = unsubscribeAddress(mail);
		expect(address).toMatch(
			new RegExp(`^${baseUrl()}${prefix}/dialogue/unsubscribe/p${followed}\\.[\\w.-]+$`)
		);
		expect(mail.text).toContain(address);
	}

	// The Swedish resident opens the link (a mail program has no session): a page with one button.
	// (The page has no client code; JavaScript is on only because axe runs in the page.)
	const link = await open(browser);
	link.page.setDefaultTimeout(10_000);
	// (The English mail's own link first: the proposal with its answer, in English.)
	await link.page.goto(/Read more: (\S+)/.exec(enMail.text)![1]!);
	expect(await text(link.page, '.answers')).toContain(
		'The staff committee is looking into how many summer jobs the municipality can offer.'
	);
	await link.page.goto(unsubscribeAddress(svMail)!);
	expect(await text(link.page, 'h1')).toBe('Avsluta e-post');
	expect(await text(link.page, 'main')).toContain(`Du får e-post för att du följer förslaget ”${title}”.`);
	expect(await axeViolations(link.page)).toEqual([]);
	// Opening it changed nothing (mail scanners open links): still followed until the button.
	await sv.page.goto(proposalPath);
	expect(await sv.page.getByRole('button', { name: 'Sluta följa förslaget' }).count()).toBe(1);
	await link.page.getByRole('button', { name: 'Sluta följa förslaget' }).click();
	expect(await text(link.page, '[role="status"]')).toBe(`Klart. Du följer inte längre förslaget ”${title}”.`);
	expect(await axeViolations(link.page)).toEqual([]);
	await sv.page.goto(proposalPath);
	expect(await sv.page.getByRole('button', { name: 'Följ förslaget' }).count()).toBe(1);
	journey.svUnsubscribed = true;

	// The English page, for the English resident (axe clean); then their mail program's one-click POST.
	await link.page.goto(unsubscribeAddress(enMail)!);
	expect(await text(link.page, 'h1')).toBe('Stop mail');
	expect(await text(link.page, 'main')).toContain(`You get mail because you follow the proposal “${title}”.`);
	expect(await link.page.getByRole('button', { name: 'Stop following the proposal' }).count()).toBe(1);
	expect(await axeViolations(link.page)).toEqual([]);
	await link.context.close();
	const oneClick = await fetch(unsubscribeAddress(enMail)!, {
		method: 'POST',
		redirect: 'manual',
		// As a mail program sends it: no Origin, no cookies, no page in between.
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: 'List-Unsubscribe=One-Click'
	});
	expect(oneClick.status).toBe(200);
	expect(await oneClick.text()).toBe('Done. You will no longer get this mail.');
	await en.page.goto(`/en${proposalPath}`);
	expect(await en.page.getByRole('button', { name: 'Follow this proposal' }).count()).toBe(1);

	// Still exactly one mail each about the answer, a few ticks after it was published.
	for (const who of ['sv', 'en'] as const) {
		const mails = await mailsTo(residents[who].email, before);
		expect(mails.map((m) => m.subject)).toEqual([who === 'sv' ? svMail.subject : enMail.subject]);
	}
	await Promise.all([sv.context.close(), en.context.close()]);
});

test('a reply to a resident’s comment reaches them as a mail, though they stopped following the proposal', async () => {
	expect(journey.svUnsubscribed).toBe(true);
	const sv = await asResident('sv', { javaScriptEnabled: false });
	const en = await asResident('en', { javaScriptEnabled: false });
	const at = `/dialogue/${ale}/proposals/${commented}`;

	await sv.page.goto(at);
	await sv.page
		.locator('#comment-new-comment')
		.fill('Gärna vid stationen i Älvängen, där väggarna redan är grå. (Påhittad kommentar.)');
	await sv.page.getByRole('button', { name: 'Publicera kommentaren' }).click();
	await sv.page.waitForURL(/#comment-\d+$/);
	const commentId = Number(/#comment-(\d+)$/.exec(sv.page.url())![1]);

	// The English resident replies, without JavaScript (the reply form opens as a plain details).
	const before = lastMail();
	await en.page.goto(`/en${at}`);
	const item = en.page.locator(`#comment-${commentId} > article`);
	await item.locator('summary', { hasText: 'Reply' }).click();
	await en.page
		.locator(`#reply-${commentId}-comment`)
		.fill('Yes, and the culture school could help. (A made-up reply.)');
	await item.getByRole('button', { name: 'Send the reply' }).click();
	await en.page.waitForURL(/#comment-\d+$/);
	const replyId = Number(/#comment-(\d+)$/.exec(en.page.url())![1]);
	expect(replyId).toBeGreaterThan(commentId);

	const mail = await waitForMail(residents.sv.email, before, 'svar på din kommentar');
	expect(mail.subject).toBe(`${spaceSv}: svar på din kommentar`);
	expect(mail.text).toContain(`Hej ${residents.sv.name}!`);
	expect(mail.text).toContain(
		`${residents.en.name} har svarat på din kommentar om förslaget ”${commentedTitle}”.`
	);
	// The link leads to the reply itself.
	const read = `${baseUrl()}${at}#comment-${replyId}`;
	expect(mail.text).toContain(`Läs mer: ${read}\n`);
	expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
	expect(unsubscribeAddress(mail)).toMatch(new RegExp(`^${baseUrl()}/dialogue/unsubscribe/a\\.[\\w.-]+$`));
	// Followed from the mail: the reply, under the resident's comment.
	const reader = await open(browser, { javaScriptEnabled: false });
	await reader.page.goto(read);
	expect(await text(reader.page, `#comment-${commentId} #comment-${replyId} .comment-body`)).toBe(
		'Yes, and the culture school could help. (A made-up reply.)'
	);
	await reader.context.close();
	// The one who replied hears nothing of their own reply.
	expect(await mailsTo(residents.en.email, before)).toEqual([]);
	await Promise.all([sv.context.close(), en.context.close()]);
});
