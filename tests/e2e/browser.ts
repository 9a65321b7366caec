import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { PreparedPerson } from './people.ts';
import type { PreparedSession } from './sessions.ts';

// Debian's Chromium (Playwright cannot download browsers here), as its headless shell where that
// is installed: the same engine without the desktop browser around it, which Playwright itself
// uses for headless runs; the browser tests take 40 % less time in it (decision 22).
const headlessShell = '/usr/bin/chromium-headless-shell';

function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath:
			process.env.CHROMIUM_PATH ?? (existsSync(headlessShell) ? headlessShell : '/usr/bin/chromium'),
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

let shared: Promise<Browser> | undefined;

let files: string | undefined;
/**
 * A file on disk for a file field (`setInputFiles(path)`): Chromium on this machine reads it
 * itself, where a buffer goes through Playwright's connection in base64 (a 10 MB photo: 6.1 s
 * against 0.09 s, measured here). For the large files; small ones go as buffers.
 */
export function fileOnDisk(name: string, bytes: Uint8Array): string {
	files ??= mkdtempSync(path.join(tmpdir(), 'e2e-files-'));
	const file = path.join(files, name);
	writeFileSync(file, bytes);
	return file;
}

/**
 * The worker's Chromium, started once for all the files the worker runs (a start costs about a
 * second of both cores; the files run one after another in a worker). A file's `close()` closes
 * the contexts it left open, not the browser, which ends with the worker.
 */
export async function launch(): Promise<Browser> {
	const current = shared && (await shared.catch(() => undefined));
	if (!current?.isConnected()) shared = launchChromium();
	const browser = await shared!;
	return new Proxy(browser, {
		get(target, key) {
			if (key === 'close') return () => Promise.all(target.contexts().map((c) => c.close())).then(() => {});
			const value = Reflect.get(target, key, target) as unknown;
			return typeof value === 'function' ? value.bind(target) : value;
		}
	});
}

export const baseUrl = () => inject('baseUrl');

/** The next message to `address` that the app sent, with the links in it (waits up to 10 s). */
export async function mailTo(
	address: string,
	after = 0
): Promise<{ subject: string; text: string; links: string[]; file: string }> {
	const dir = inject('mailDir');
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		for (const file of readdirSync(dir).sort()) {
			if (Number(file.slice(0, 4)) <= after) continue;
			const parsed = await simpleParser(readFileSync(path.join(dir, file)));
			const to = [parsed.to].flat().flatMap((a) => a?.value.map((v) => v.address) ?? []);
			if (!to.includes(address)) continue;
			const text = parsed.text ?? '';
			return { subject: parsed.subject ?? '', text, links: text.match(/https?:\/\/\S+/g) ?? [], file };
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`No mail to ${address} within 10 s`);
}

/** The number of the newest message so far (to wait for one sent after it). */
export function lastMail(): number {
	const files = readdirSync(inject('mailDir')).sort();
	return files.length ? Number(files.at(-1)!.slice(0, 4)) : 0;
}

/** A fresh context (axe needs one) with or without JavaScript. */
export async function open(
	browser: Browser,
	options: { javaScriptEnabled?: boolean; width?: number } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({
		baseURL: baseUrl(),
		javaScriptEnabled: options.javaScriptEnabled ?? true,
		viewport: { width: options.width ?? 1280, height: 900 }
	});
	return { context, page: await context.newPage() };
}

/** The prepared session of a person (signed in by the global set-up). */
export function sessionOf(who: PreparedPerson): PreparedSession {
	return inject('sessions')[who];
}

/** A fresh context signed in as a person, from the session the global set-up prepared. */
export async function openAs(
	browser: Browser,
	who: PreparedPerson,
	options: { javaScriptEnabled?: boolean; width?: number } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const opened = await open(browser, options);
	await opened.context.addCookies(
		sessionOf(who)
			.cookie.split('; ')
			.filter(Boolean)
			.map((pair) => ({
				name: pair.slice(0, pair.indexOf('=')),
				value: pair.slice(pair.indexOf('=') + 1),
				url: baseUrl()
			}))
	);
	return opened;
}

/**
 * The page where every axe check runs, one per browser (signed out, with JavaScript): axe is
 * loaded into it once, and each check writes the checked page's markup into it. Loading axe
 * (half a megabyte of script sent over the DevTools protocol and started) into each page checked
 * cost more than the check itself, and a page without JavaScript cannot run it at all.
 */
const twins = new WeakMap<Browser, { page: Promise<Page>; queue: Promise<unknown> }>();

async function newTwin(browser: Browser): Promise<Page> {
	const page = await (await browser.newContext({ baseURL: baseUrl() })).newPage();
	// A same-origin document without scripts or a Content-Security-Policy of its own.
	await page.goto('/robots.txt');
	await page.evaluate(axeSource);
	return page;
}

/** Runs `check` in the browser's twin page, one check at a time (journeys check side by side). */
async function withTwin<T>(browser: Browser, check: (twin: Page) => Promise<T>): Promise<T> {
	let twin = twins.get(browser);
	const kept = twin && (await twin.page.catch(() => undefined));
	// A file's close() closes every context of the shared browser, the twin's too.
	if (!twin || !kept || kept.isClosed()) {
		twin = { page: newTwin(browser), queue: Promise.resolve() };
		twins.set(browser, twin);
	}
	const { page } = twin;
	const run = twin.queue.then(async () => check(await page));
	twin.queue = run.catch(() => undefined);
	return run;
}

/**
 * A page's markup as the browser holds it now (a form sent back, what scripts changed), to be
 * written into the twin: without its scripts (the markup is already what they made of it) and
 * with its own address as the base, so that its styles and images load as they did.
 */
function markupToCheck(html: string, address: string): string {
	const base = `<base href="${address.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">`;
	return html
		.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
		.replace(/<link\b[^>]*\brel="modulepreload"[^>]*>/gi, '')
		.replace(/<head\b[^>]*>/i, (head) => head + base);
}

/** axe-core itself, loaded once into each browser's twin page. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * WCAG 2.1 A and AA violations on the current page (empty when it passes): its markup as it is
 * now, at its viewport size, checked by axe in the twin page (the pages have no frames to follow).
 * Only violations are reported: @axe-core/playwright's builder took about three times as long.
 */
export async function axeViolations(page: Page): Promise<string[]> {
	const html = markupToCheck(await page.content(), page.url());
	const viewport = page.viewportSize();
	const violations = await withTwin(page.context().browser()!, async (twin) => {
		if (viewport) await twin.setViewportSize(viewport);
		// Writing a document keeps the window, and axe in it.
		await twin.setContent(html, { waitUntil: 'load' });
		if (await twin.evaluate(() => !('axe' in window))) await twin.evaluate(axeSource);
		return twin.evaluate(async () => {
			const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<AxeResults> } }).axe;
			const results = await axe.run(document, {
				runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
				resultTypes: ['violations']
			});
			return results.violations.map((v) => ({
				id: v.id,
				help: v.help,
				targets: v.nodes.map((n) => n.target.join(' '))
			}));
		});
	});
	return violations.map((v) => `${v.id}: ${v.help} (${v.targets.slice(0, 3).join(' | ')})`);
}

interface AxeResults {
	violations: { id: string; help: string; nodes: { target: string[] }[] }[];
}
