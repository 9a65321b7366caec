import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, launch, open, sessionOf } from './browser.ts';
import { materialise, xssVectors, type XssVector } from './xss-vectors.ts';

/** An HTTP server on 127.0.0.1 that records every request: any hit means a vector ran. */
interface Listener {
	origin: string;
	port: number;
	hits: string[];
	close: () => Promise<void>;
}

async function listen(): Promise<Listener> {
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
async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
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

/** The editor's form actions, posted as the browser would (same origin, form-encoded). */
async function post(path: string, fields: [string, string][], cookie: string): Promise<Response> {
	return fetch(baseUrl() + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseUrl(),
			accept: 'text/html',
			cookie
		},
		body: new URLSearchParams(fields)
	});
}

/** What the workspace says when a body holds an image that is not in the media library. */
const unknownMediaMessage = 'Filen finns inte i mediebiblioteket.';

const intro = {
	sv: '<p>Xsskorpus: en vanlig stycketext som ska synas, följd av försök att köra skript.</p>',
	en: '<p>Xsscorpus: an ordinary paragraph that must show, followed by attempts to run scripts.</p>'
};
const outro = { sv: '<p>Slut på korpusen.</p>', en: '<p>End of the corpus.</p>' };
const markerWord = { sv: 'vektor', en: 'vector' };
/** The visible label in front of vector n, so the page shows that each one was stored. */
const marker = (lang: 'sv' | 'en', n: number) => `[${markerWord[lang]} ${n}]`;

interface Numbered {
	n: number;
	vector: XssVector;
	html: string;
}

function body(lang: 'sv' | 'en', items: Numbered[]): string {
	return [intro[lang], ...items.flatMap((v) => [`<p>${marker(lang, v.n)}</p>`, v.html]), outro[lang]].join(
		'\n'
	);
}

/** An article to save: the vectors in both bodies, and a break-out attempt in title and teaser. */
function articleFields(slug: string, k: number, items: Numbered[]): [string, string][] {
	const id = 1000 + k;
	return [
		['slug', slug],
		['kind', 'opinion'],
		['partnershipId', ''],
		['version', ''],
		['title_sv', `Xsskorpus ${k} </title><script>alert(${id})</script>`],
		['teaser_sv', `Prövar att sparad text rensas. "><script>alert(${id})</script><svg onload=alert(${id})>`],
		['body_sv', body('sv', items)],
		['title_en', `Xsscorpus ${k} </title><script>alert(${id})</script>`],
		['teaser_en', `Checks that stored text is cleaned. '><img src=x onerror=alert(${id})>`],
		['body_en', body('en', items)]
	];
}

type Saved = { outcome: 'stored'; id: number } | { outcome: 'refused'; status: number };

async function create(fields: [string, string][], cookie: string): Promise<Saved> {
	const res = await post('/admin/articles/new?/create', fields, cookie);
	if (res.status === 303) {
		const location = res.headers.get('location') ?? '';
		const id = /\/admin\/articles\/(\d+)\?created$/.exec(location)?.[1];
		expect(id, `the answer to a save points at the new article: ${location}`).toBeDefined();
		return { outcome: 'stored', id: Number(id) };
	}
	const text = await res.text();
	// Refused is fine only as a 400 with the message by the field (an image not in the library).
	expect(res.status, `a save is stored or refused with a message: ${text.slice(0, 500)}`).toBe(400);
	expect(text).toContain(unknownMediaMessage);
	return { outcome: 'refused', status: res.status };
}

async function step(id: number, name: 'publish' | 'archive', cookie: string, status: string) {
	const res = await post(`/admin/articles/${id}?/step`, [['step', name]], cookie);
	const text = await res.text();
	expect(res.status, `${name} of article ${id}`).toBe(200);
	expect(text).toContain(`Artikeln har nu status: ${status}.`);
}

/** Everything a visit to a public page noticed. */
interface Visit {
	path: string;
	bypassCsp: boolean;
	status: number;
	dialogs: string[];
	requests: string[];
	popups: string[];
	csp: string[];
	pageErrors: string[];
	finalUrl: string;
	frames: number;
	prose?: Prose;
}

/** The rendered article body: its text, and its markup with the text taken out. */
interface Prose {
	text: string;
	/**
	 * innerHTML with text nodes removed and the free-text attributes (title, alt) and the
	 * addresses of http(s) and mailto links emptied: what is left is live markup.
	 */
	markup: string;
	elements: { tag: string; attributes: [string, string][] }[];
}

let browser: Browser;
let listener: Listener;
beforeAll(async () => {
	browser = await launch();
	listener = await listen();
});
afterAll(async () => {
	await browser?.close();
	await listener?.close();
});

async function visit(path: string, bypassCsp: boolean, readProse: boolean): Promise<Visit> {
	const context = await browser.newContext({
		baseURL: baseUrl(),
		javaScriptEnabled: true,
		bypassCSP: bypassCsp,
		viewport: { width: 1280, height: 900 }
	});
	const page = await context.newPage();
	const v: Visit = {
		path,
		bypassCsp,
		status: 0,
		dialogs: [],
		requests: [],
		popups: [],
		csp: [],
		pageErrors: [],
		finalUrl: '',
		frames: 0
	};
	page.on('dialog', (d) => {
		v.dialogs.push(`${d.type()}(${d.message()})`);
		void d.dismiss().catch(() => {});
	});
	context.on('request', (r) => v.requests.push(r.url()));
	context.on('page', (p: Page) => {
		if (p !== page) v.popups.push(p.url());
	});
	page.on('console', (m) => {
		if (/content.security.policy/i.test(m.text())) v.csp.push(m.text());
	});
	page.on('pageerror', (e) => v.pageErrors.push(e.message));
	const response = await page.goto(path, { waitUntil: 'load' });
	v.status = response?.status() ?? 0;
	// Handlers such as ontoggle, onfocus and onbegin fire a moment after load.
	await page.waitForTimeout(600);
	v.finalUrl = page.url();
	v.frames = page.frames().length;
	if (readProse) {
		v.prose = await page.locator('.article .prose').evaluate((prose): Prose => {
			const copy = prose.cloneNode(true) as HTMLElement;
			const walker = document.createTreeWalker(copy, NodeFilter.SHOW_TEXT);
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
				if (['http:', 'https:', 'mailto:'].includes(a.protocol)) a.setAttribute('href', '');
			}
			return {
				text: prose.textContent ?? '',
				markup: copy.innerHTML,
				elements: [...prose.querySelectorAll('*')].map((el) => ({
					tag: el.tagName.toLowerCase(),
					attributes: [...el.attributes].map((a) => [a.name, a.value] as [string, string])
				}))
			};
		});
	}
	await context.close();
	return v;
}

/** What stored rich text may hold after the server's allowlist (content/sanitize.ts). */
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
/** None of this may be in the article's markup (text taken out: escaped text is harmless). */
const forbidden: [string, RegExp][] = [
	['<script', /<script/i],
	['event attribute', /\son[a-z]+=/i],
	['javascript:', /javascript:/i],
	['data:', /data:/i],
	['<svg', /<svg/i],
	['<iframe', /<iframe/i],
	['<object', /<object/i],
	['<embed', /<embed/i],
	['<style', /<style/i],
	['srcdoc', /srcdoc/i],
	['formaction', /formaction/i]
];

/** Problems with a rendered article body; empty when it is clean. */
function proseProblems(prose: Prose): string[] {
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

test('a positive control: the raw vectors do run in this Chromium when nothing cleans them', async () => {
	const control = await listen();
	const { context } = await open(browser);
	const fired = new Set<number>();
	// A dozen vectors a page (each names itself in its dialog or its call to the listener), a few
	// pages at a time: the check is that the corpus is live, not which page it ran in.
	const pages: { vector: XssVector; n: number }[][] = [];
	const all = xssVectors.map((vector, i) => ({ vector, n: i + 1 }));
	for (let i = 0; i < all.length; i += 12) pages.push(all.slice(i, i + 12));
	try {
		await pool(pages, 3, async (group) => {
			const page = await context.newPage();
			page.on('dialog', (d) => {
				const n = Number(d.message());
				if (group.some((g) => g.n === n)) fired.add(n);
				void d.dismiss().catch(() => {});
			});
			const html = group
				.map(({ vector, n }) => `<div>${materialise(vector, n, `${control.origin}/hit/${n}`)}</div>`)
				.join('\n');
			await page
				.setContent(`<!doctype html><body>${html}</body>`, { waitUntil: 'load', timeout: 10_000 })
				.catch(() => {});
			await page.waitForTimeout(700);
			await page.close();
		});
		for (const hit of control.hits) {
			const n = /\/hit\/(\d+)/.exec(hit)?.[1];
			if (n) fired.add(Number(n));
		}
	} finally {
		await context.close();
		await control.close();
	}
	console.log(
		`XSS corpus, positive control: ${fired.size} of ${xssVectors.length} vectors ran or called the listener ` +
			`in a page with no sanitiser and no CSP: ${[...fired].sort((a, b) => a - b).join(', ')}`
	);
	// The detection works (dialogs and listener hits are seen), and the corpus is live.
	expect(fired.size).toBeGreaterThanOrEqual(40);
});

test(
	'stored rich text with 50+ XSS vectors runs none of them on the public pages, in both languages',
	{ timeout: 240_000 },
	async () => {
		expect(xssVectors.length).toBeGreaterThanOrEqual(50);
		expect(new Set(xssVectors.map((v) => v.html)).size).toBe(xssVectors.length);
		const numbered: Numbered[] = xssVectors.map((vector, i) => ({
			n: i + 1,
			vector,
			html: materialise(vector, i + 1, `${listener.origin}/hit/${i + 1}`)
		}));

		// The editor's session, signed in with two-step verification by the global set-up.
		const cookie = sessionOf('xssEditor').cookie;

		// Vectors with an <img> may be refused (not in the media library): a refused batch is halved
		// until each refused vector stands alone, so every outcome is its own. The rest go forty to
		// an article.
		const withImage = numbered.filter((v) => /<img/i.test(v.html));
		const plain = numbered.filter((v) => !/<img/i.test(v.html));
		const batches: Numbered[][] = [withImage];
		for (let i = 0; i < plain.length; i += 40) batches.push(plain.slice(i, i + 40));

		const stored: { id: number; slug: string; items: Numbered[] }[] = [];
		const refused: Numbered[] = [];
		const save = async (items: Numbered[], slug: string, k: number) => {
			const saved = await create(articleFields(slug, k, items), cookie);
			if (saved.outcome === 'stored') stored.push({ id: saved.id, slug, items });
			else if (items.length === 1) refused.push(items[0]!);
			else {
				// A batch was refused: halve it to name the ones that were.
				const half = Math.ceil(items.length / 2);
				await save(items.slice(0, half), `${slug}-a`, k * 10 + 1);
				await save(items.slice(half), `${slug}-b`, k * 10 + 2);
			}
		};
		for (const [i, items] of batches.entries()) await save(items, `xss-corpus-${i + 1}`, i + 1);

		const storedVectors = stored.flatMap((a) => a.items);
		console.log(
			`XSS corpus: ${xssVectors.length} vectors, ${storedVectors.length} stored in ${stored.length} articles, ` +
				`${refused.length} refused with "${unknownMediaMessage}": ` +
				refused.map((v) => `${v.n} (${v.vector.name})`).join(', ')
		);
		expect(storedVectors.length + refused.length).toBe(xssVectors.length);
		expect(storedVectors.length).toBeGreaterThanOrEqual(45);
		// Only vectors with an image may be refused.
		for (const v of refused) expect(v.html).toMatch(/<img/i);

		const visits: Visit[] = [];
		try {
			for (const a of stored) await step(a.id, 'publish', cookie, 'Publicerad');
			// Each public page in a fresh context with JavaScript on: once as served (with the CSP),
			// once with the CSP bypassed, so the server's cleaning is tested on its own.
			const pages = stored.flatMap((a) =>
				(['sv', 'en'] as const).flatMap((lang) => [false, true].map((bypassCsp) => ({ a, lang, bypassCsp })))
			);
			const results = await pool(pages, 6, async ({ a, lang, bypassCsp }) => {
				const v = await visit(`${lang === 'en' ? '/en' : ''}/inspiration/${a.slug}`, bypassCsp, true);
				return { ...v, lang, items: a.items };
			});
			visits.push(...results);
			// The search page shows passages of the same bodies.
			visits.push(await visit('/search?q=xsskorpus', false, false));
			visits.push(await visit('/en/search?q=xsscorpus', true, false));
			const searchHits = await fetch(`${baseUrl()}/search?q=xsskorpus`).then((r) => r.text());
			expect(searchHits).toContain('Xsskorpus 1');

			const problems: string[] = [];
			const app = new URL(baseUrl()).origin;
			for (const v of results) {
				const where = `${v.path}${v.bypassCsp ? ' (CSP bypassed)' : ''}`;
				for (const p of proseProblems(v.prose!)) problems.push(`${where}: ${p}`);
				// Every vector of the article was stored and the body rendered around it.
				for (const text of [intro[v.lang], outro[v.lang]].map((h) => h.replace(/<\/?p>/g, ''))) {
					if (!v.prose!.text.includes(text)) problems.push(`${where}: the paragraph "${text}" is missing`);
				}
				for (const item of v.items) {
					if (!v.prose!.text.includes(marker(v.lang, item.n))) {
						problems.push(`${where}: the text around vector ${item.n} (${item.vector.name}) is missing`);
					}
				}
			}
			for (const v of visits) {
				const where = `${v.path}${v.bypassCsp ? ' (CSP bypassed)' : ''}`;
				if (v.status !== 200) problems.push(`${where}: status ${v.status}`);
				for (const d of v.dialogs) problems.push(`${where}: a dialog opened: ${d}`);
				for (const p of v.popups) problems.push(`${where}: a window opened: ${p}`);
				if (v.finalUrl !== new URL(v.path, baseUrl()).href)
					problems.push(`${where}: navigated to ${v.finalUrl}`);
				if (v.frames !== 1) problems.push(`${where}: ${v.frames - 1} frames on the page`);
				for (const url of v.requests) {
					const u = new URL(url);
					if (u.port === String(listener.port)) problems.push(`${where}: a request to the listener: ${url}`);
					else if (u.origin !== app && !['data:', 'blob:', 'about:'].includes(u.protocol)) {
						problems.push(`${where}: a request outside the site: ${url}`);
					}
				}
			}
			// Anything that reached the listener, from the pages or from anywhere else.
			for (const hit of listener.hits) problems.push(`the listener was called: ${hit}`);

			const csp = new Map<string, number>();
			for (const v of visits) {
				for (const message of v.csp) {
					const key = message.replace(/sha256-[A-Za-z0-9+/=]+/g, 'sha256-…').slice(0, 240);
					csp.set(key, (csp.get(key) ?? 0) + 1);
				}
			}
			const errors = [...new Set(visits.flatMap((v) => v.pageErrors))];
			console.log(
				`XSS corpus: ${visits.length} page visits; CSP reports (not failures, the second line of defence): ` +
					(csp.size ? [...csp].map(([m, c]) => `\n  ${c}× ${m}`).join('') : 'none') +
					(errors.length ? `\n  page errors: ${errors.join(' | ')}` : '')
			);
			// Addresses kept as they are although not absolute http(s) or mailto: inert, but worth a look.
			const oddLinks = new Set(
				results.flatMap((v) =>
					v
						.prose!.elements.flatMap((el) => el.attributes.filter(([name]) => name === 'href'))
						.map(([, href]) => href)
						.filter((href) => !/^(https?:\/\/|mailto:)/i.test(href))
				)
			);
			console.log(`XSS corpus: links kept as relative addresses: ${[...oddLinks].join(' | ') || 'none'}`);
			expect(problems).toEqual([]);
		} finally {
			// Out of the public lists again, so the other journeys on this server see their own counts.
			for (const a of stored) {
				await post(`/admin/articles/${a.id}?/step`, [['step', 'archive']], cookie);
			}
		}
		for (const a of stored) expect((await fetch(`${baseUrl()}/inspiration/${a.slug}`)).status).toBe(404);
	}
);
