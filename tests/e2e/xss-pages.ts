import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, ConsoleMessage, Dialog, Page, Request } from 'playwright-core';
import { baseUrl } from './browser.ts';

/**
 * What the XSS journey (xss.spec.ts) does in Chromium: a listener that any vector calling home
 * would hit, visits that record everything a page did, and the checks of what a page shows.
 */

/** An HTTP server on 127.0.0.1 that records every request: any hit means a vector ran. */
export interface Listener {
	origin: string;
	port: number;
	hits: string[];
	close: () => Promise<void>;
}

export async function listen(): Promise<Listener> {
	const hits: string[] = [];
	const server = http.createServer((req, res) => {
		hits.push(`${req.method} ${req.url}`);
		res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
		res.end('hit');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		port,
		hits,
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}

/** Runs `work` over `items`, at most `size` at a time. */
export async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(size, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				out[i] = await work(items[i]!);
			}
		})
	);
	return out;
}

/** Text as compared: without white space and the control characters the app may drop. */
export const squash = (text: string) =>
	// eslint-disable-next-line no-control-regex
	text.replace(/[\s\u0000-\u001f\u007f-\u009f\ufffe\uffff]+/gu, '');

/** Rich text as rendered: its text, and its markup with the text taken out. */
export interface Prose {
	text: string;
	/**
	 * innerHTML with text nodes removed and the free-text attributes (title, alt) and the
	 * addresses of http(s) and mailto links emptied: what is left is live markup.
	 */
	markup: string;
	elements: { tag: string; attributes: [string, string][] }[];
}

/** What `inspect` found in a document. */
export interface Inspection {
	/** Markup that text put on the page: handlers, script addresses, frames, bases… */
	injected: string[];
	/** Of the values asked for, those shown neither as text nor as an attribute's value. */
	missing: string[];
	/** The rich text under the selector asked for (null when there is none). */
	prose: Prose | null;
}

export interface InspectArgs {
	/** Parse this HTML (an API's body) instead of looking at the page. */
	html?: string;
	prose?: string;
	expected: string[];
	listenerPort: number;
	appOrigin: string;
}

/**
 * Runs in the page (or, with `html`, on an inert parsed copy): self-contained, as Playwright sends
 * only its source.
 */
export function inspect(args: InspectArgs): Inspection {
	const doc = args.html
		? new DOMParser().parseFromString(
				`<!doctype html><body><div class="prose">${args.html}</div>`,
				'text/html'
			)
		: document;
	const squashed = (text: string) =>
		// eslint-disable-next-line no-control-regex
		text.replace(/[\s\u0000-\u001f\u007f-\u009f\ufffe\uffff]+/gu, '');
	const injected: string[] = [];
	const haystack: string[] = [doc.documentElement?.textContent ?? ''];
	const urlAttributes = [
		'href',
		'src',
		'action',
		'formaction',
		'data',
		'poster',
		'background',
		'xlink:href',
		'ping',
		'codebase'
	];
	const where = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>`;
	for (const el of doc.querySelectorAll('*')) {
		const tag = el.tagName.toLowerCase();
		if (
			['iframe', 'frame', 'frameset', 'object', 'embed', 'base', 'portal', 'fencedframe', 'applet'].includes(
				tag
			)
		)
			injected.push(`element ${where(el)}`);
		if (tag === 'meta' && el.hasAttribute('http-equiv')) injected.push(`${where(el)} http-equiv`);
		if (tag === 'script') {
			const src = el.getAttribute('src');
			// The kit's own: from the site, its start-up script (allowed by its hash in the CSP), or
			// the data it fetched on the server.
			const kits =
				(el.textContent ?? '').includes('__sveltekit_') || el.hasAttribute('data-sveltekit-fetched');
			if (src ? new URL(src, doc.baseURI).origin !== args.appOrigin : !kits)
				injected.push(`${where(el)} not the site's: ${(src ?? el.textContent ?? '').slice(0, 120)}`);
		}
		// What a form control holds once the page's scripts have run (a textarea's text may be gone).
		if (['input', 'textarea', 'select'].includes(tag)) haystack.push((el as HTMLInputElement).value ?? '');
		for (const a of el.attributes) {
			haystack.push(a.value);
			const name = a.name.toLowerCase();
			if (name.startsWith('on')) injected.push(`${where(el)} ${name}="${a.value.slice(0, 80)}"`);
			if (name === 'srcdoc') injected.push(`${where(el)} srcdoc`);
			if (name === 'style' && /url\(|expression|behavior|@import/i.test(a.value))
				injected.push(`${where(el)} style="${a.value.slice(0, 80)}"`);
			if (urlAttributes.includes(name) || name === 'srcset') {
				for (const part of name === 'srcset'
					? a.value.split(',').map((c) => c.trim().split(/\s+/)[0]!)
					: [a.value]) {
					let url: URL;
					try {
						url = new URL(part.trim(), doc.baseURI);
					} catch {
						continue;
					}
					if (['javascript:', 'data:', 'vbscript:'].includes(url.protocol))
						injected.push(`${where(el)} ${name}=${part.slice(0, 80)}`);
					// A link may lead anywhere on the web (it loads nothing until followed); anything
					// else that names the listener would load it.
					const link = name === 'href' && ['a', 'area'].includes(tag);
					if (!link && url.port === String(args.listenerPort))
						injected.push(`${where(el)} ${name} to the listener`);
				}
			}
		}
	}
	const all = squashed(haystack.join('\n'));
	const missing = args.expected.filter((value) => !all.includes(squashed(value)));

	let prose: Prose | null = null;
	const root = args.prose ? doc.querySelector(args.prose) : null;
	if (root) {
		const copy = root.cloneNode(true) as HTMLElement;
		const walker = doc.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
		const texts: Node[] = [];
		while (walker.nextNode()) texts.push(walker.currentNode);
		for (const t of texts) t.parentNode!.removeChild(t);
		for (const el of copy.querySelectorAll('[title], [alt]')) {
			if (el.hasAttribute('title')) el.setAttribute('title', '');
			if (el.hasAttribute('alt')) el.setAttribute('alt', '');
		}
		// A link's address is inert text once the browser resolves it to http(s) or mailto (a
		// relative "`javascript:…`" is a path on this site); its scheme is checked separately.
		for (const a of copy.querySelectorAll<HTMLAnchorElement>('a[href]')) {
			if (['http:', 'https:', 'mailto:'].includes(new URL(a.getAttribute('href')!, doc.baseURI).protocol))
				a.setAttribute('href', '');
		}
		prose = {
			text: root.textContent ?? '',
			markup: copy.innerHTML,
			elements: [...root.querySelectorAll('*')].map((el) => ({
				tag: el.tagName.toLowerCase(),
				attributes: [...el.attributes].map((a) => [a.name, a.value] as [string, string])
			}))
		};
	}
	return { injected, missing, prose };
}

/** What stored rich text may hold after the server's allowlist (kernel/sanitize.ts). */
const allowedElements: Record<string, string[]> = {
	p: [],
	h2: [],
	h3: [],
	h4: [],
	ul: [],
	ol: [],
	li: [],
	strong: [],
	em: [],
	blockquote: [],
	br: [],
	a: ['href', 'title', 'rel'],
	img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding']
};
/** None of this may be in rich text's markup (text taken out: escaped text is harmless). */
const forbidden: [string, RegExp][] = [
	['<script', /<script/i],
	['event attribute', /\son[a-z]+=/i],
	['javascript:', /javascript:/i],
	['vbscript:', /vbscript:/i],
	['data:', /data:/i],
	['<svg', /<svg/i],
	['<math', /<math/i],
	['<iframe', /<iframe/i],
	['<object', /<object/i],
	['<embed', /<embed/i],
	['<style', /<style/i],
	['<form', /<form/i],
	['<base', /<base/i],
	['<meta', /<meta/i],
	['srcdoc', /srcdoc/i],
	['formaction', /formaction/i],
	['id or name (clobbering)', /\s(id|name)=/i]
];

/** Problems with rendered rich text; empty when it is clean. */
export function proseProblems(prose: Prose): string[] {
	const problems: string[] = [];
	for (const [name, pattern] of forbidden) {
		const m = pattern.exec(prose.markup);
		if (m)
			problems.push(
				`${name} in the markup: …${prose.markup.slice(Math.max(0, m.index - 80), m.index + 80)}…`
			);
	}
	for (const el of prose.elements) {
		const allowed = allowedElements[el.tag];
		if (!allowed) {
			problems.push(`element <${el.tag}> is not on the allowlist`);
			continue;
		}
		for (const [name, value] of el.attributes) {
			if (!allowed.includes(name)) problems.push(`attribute ${name}="${value}" on <${el.tag}>`);
		}
		const href = el.attributes.find(([name]) => name === 'href')?.[1];
		if (href !== undefined) {
			const url = new URL(href, baseUrl());
			if (!['http:', 'https:', 'mailto:'].includes(url.protocol))
				problems.push(`link to ${url.protocol}: ${href}`);
		}
		const src = el.attributes.find(([name]) => name === 'src')?.[1];
		if (src !== undefined && !/^\/media\/[a-f0-9]{32}\/\d{2,4}\.webp$/.test(src)) {
			problems.push(`image from outside the media library: ${src}`);
		}
	}
	return problems;
}

/** A page to open, and what to look for on it. */
export interface PageToVisit {
	path: string;
	bypassCsp: boolean;
	/** The Cookie header of a signed-in session (staff pages). */
	cookie?: string;
	/** The selector of rich text on the page, checked against the allowlist. */
	prose?: string;
	/** Stored values that must show on the page, as text or as an attribute's value. */
	expected?: string[];
}

/** Everything a visit to a page noticed. */
export interface Visit {
	page: PageToVisit;
	status: number;
	dialogs: string[];
	requests: string[];
	popups: string[];
	csp: string[];
	pageErrors: string[];
	finalUrl: string;
	frames: number;
	inspection: Inspection;
}

/** Pages free for the next visit, by CSP setting and session: a context's cookies stay its own. */
const idle = new Map<string, { context: BrowserContext; page: Page }[]>();

/**
 * A page of its own for a visit: a free one with the same CSP setting and session, or a new
 * context. A renderer costs about 2 CPU-seconds to start (decision 22); each visit still begins
 * from a blank document, so nothing a page ran can outlive it.
 */
async function pageFor(
	browser: Browser,
	target: PageToVisit
): Promise<{ context: BrowserContext; page: Page; key: string }> {
	const key = `${target.bypassCsp}|${target.cookie ?? ''}`;
	// A worker keeps this module from file to file; a page closed with its file's contexts is gone.
	let free = idle.get(key)?.pop();
	while (free?.page.isClosed()) free = idle.get(key)?.pop();
	if (free) return { ...free, key };
	const context = await browser.newContext({
		baseURL: baseUrl(),
		javaScriptEnabled: true,
		bypassCSP: target.bypassCsp,
		viewport: { width: 1280, height: 900 }
	});
	if (target.cookie) {
		await context.addCookies(
			target.cookie
				.split('; ')
				.filter(Boolean)
				.map((pair) => ({
					name: pair.slice(0, pair.indexOf('=')),
					value: pair.slice(pair.indexOf('=') + 1),
					url: baseUrl()
				}))
		);
	}
	return { context, page: await context.newPage(), key };
}

/** Opens a page with JavaScript on, waits for late handlers, and inspects it. */
export async function visit(browser: Browser, listener: Listener, target: PageToVisit): Promise<Visit> {
	const { context, page, key } = await pageFor(browser, target);
	const v: Visit = {
		page: target,
		status: 0,
		dialogs: [],
		requests: [],
		popups: [],
		csp: [],
		pageErrors: [],
		finalUrl: '',
		frames: 0,
		inspection: { injected: [], missing: [], prose: null }
	};
	const onDialog = (d: Dialog) => {
		v.dialogs.push(`${d.type()}(${d.message()})`);
		void d.dismiss().catch(() => {});
	};
	const onRequest = (r: Request) => v.requests.push(r.url());
	const onPage = (p: Page) => {
		if (p !== page) {
			v.popups.push(p.url());
			void p.close().catch(() => {});
		}
	};
	const onConsole = (m: ConsoleMessage) => {
		if (/content.security.policy/i.test(m.text())) v.csp.push(m.text());
	};
	const onError = (e: Error) => v.pageErrors.push(e.message);
	page.on('dialog', onDialog);
	context.on('request', onRequest);
	context.on('page', onPage);
	page.on('console', onConsole);
	page.on('pageerror', onError);
	try {
		const response = await page.goto(target.path, { waitUntil: 'load' });
		v.status = response?.status() ?? 0;
		// Handlers such as ontoggle, onfocus and onbegin fire a moment after load.
		await page.waitForTimeout(600);
		v.finalUrl = page.url();
		v.frames = page.frames().length;
		v.inspection = await page.evaluate(inspect, {
			prose: target.prose,
			expected: target.expected ?? [],
			listenerPort: listener.port,
			appOrigin: new URL(baseUrl()).origin
		});
	} catch (error) {
		await context.close();
		throw error;
	} finally {
		page.off('dialog', onDialog);
		context.off('request', onRequest);
		context.off('page', onPage);
		page.off('console', onConsole);
		page.off('pageerror', onError);
	}
	// The next visit of this page starts from a blank document: whatever this one ran ends here.
	await page.goto('about:blank');
	idle.set(key, [...(idle.get(key) ?? []), { context, page }]);
	return v;
}

/** Problems with a visit: anything that ran, loaded, navigated, opened or was injected. */
export function visitProblems(v: Visit, listener: Listener): string[] {
	const where = `${v.page.path}${v.page.bypassCsp ? ' (CSP bypassed)' : ''}`;
	const problems: string[] = [];
	const app = new URL(baseUrl()).origin;
	if (v.status !== 200) problems.push(`${where}: status ${v.status}`);
	for (const d of v.dialogs) problems.push(`${where}: a dialog opened: ${d}`);
	for (const p of v.popups) problems.push(`${where}: a window opened: ${p}`);
	if (v.finalUrl !== new URL(v.page.path, baseUrl()).href)
		problems.push(`${where}: navigated to ${v.finalUrl}`);
	if (v.frames !== 1) problems.push(`${where}: ${v.frames - 1} frames on the page`);
	for (const url of v.requests) {
		const u = new URL(url);
		if (u.port === String(listener.port)) problems.push(`${where}: a request to the listener: ${url}`);
		else if (u.origin !== app && !['data:', 'blob:', 'about:'].includes(u.protocol)) {
			problems.push(`${where}: a request outside the site: ${url}`);
		}
	}
	for (const i of v.inspection.injected) problems.push(`${where}: injected ${i}`);
	for (const m of v.inspection.missing) problems.push(`${where}: not shown as text: ${JSON.stringify(m)}`);
	if (v.page.prose) {
		if (!v.inspection.prose) problems.push(`${where}: no ${v.page.prose} on the page`);
		else for (const p of proseProblems(v.inspection.prose)) problems.push(`${where}: ${p}`);
	}
	return problems;
}
