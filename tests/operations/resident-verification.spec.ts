import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { axeViolations, launch } from '../e2e/browser.ts';
import { freePort, instanceSecret, root, startInstance, type Instance } from '../e2e/instances.ts';
import { prepareSession, withCookies } from '../e2e/sessions.ts';
import { oidcClient, startOidcProvider } from '../../src/lib/server/test/oidc-provider.ts';

// Issue 10, resident verification over HTTP on an instance of its own (its settings carry the
// verification secret and an OpenID Connect provider started here): Ale's census list uploaded by
// an editor, a resident verifying with the census form without JavaScript, another with
// e-identification through the provider's own sign-in pages, and the pages pass axe. It runs in
// the operations suite with the other tests that start servers of their own.

const ale = 'unga-i-ale-vara-med-och-paverka';
const editor = { email: 'vera.verifierar@example.org', password: 'Redaktor-losenord-2026', role: 'editor' };
const readers = [
	{ email: 'rut.invanare@example.org', password: 'Invanare-losenord-2026', role: 'reader' },
	{ email: 'nils.invanare@example.org', password: 'Invanare-losenord-2026', role: 'reader' }
];

let dir: string;
let instance: Instance;
let provider: Server;
let browser: Browser;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-verify-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const oidc = await startOidcProvider(`${url}/dialogue/verify/oidc/callback`, {
		nils: { personal_number: '197705054321', municipality_code: '1440' }
	});
	provider = oidc.server;
	const env = {
		DATABASE_URL: '',
		DATA_DIR: path.join(dir, 'db'),
		MEDIA_DIR: path.join(dir, 'media'),
		OUTBOX_DIR: path.join(dir, 'outbox'),
		BETTER_AUTH_SECRET: instanceSecret,
		SMTP_URL: '',
		LOG_LEVEL: 'warn',
		VERIFICATION_SECRET: 'journey-verification-secret-0123456789',
		VERIFICATION_OIDC: JSON.stringify({
			issuer: oidc.issuer,
			clientId: oidcClient.clientId,
			clientSecret: oidcClient.clientSecret,
			identifierClaim: 'personal_number',
			municipalityClaim: 'municipality_code'
		})
	};
	// The folder's people first (PGlite: one process at a time), in one run of the command (each
	// run opens the folder: the first migrates it, every run costs seconds), then the instance on it.
	const list = path.join(dir, 'people.json');
	writeFileSync(list, JSON.stringify([editor, ...readers]));
	await promisify(execFile)(process.execPath, ['scripts/admin-create.js', '--from', list], {
		cwd: root,
		env: { ...process.env, ...env }
	});
	instance = await startInstance(env, { port, readyTimeoutMs: 120_000 });
	browser = await launch();
}, 240_000);

afterAll(async () => {
	await browser?.close();
	await instance?.stop();
	await new Promise((resolve) => provider?.close(resolve));
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, cookie: string, body: URLSearchParams | FormData) =>
	fetch(url, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: instance.url, accept: 'text/html', cookie },
		body
	});

/** The editor's session (two-step verification is set up once, at the first sign-in). */
let editorCookie = '';

test('an editor uploads Ale’s census list; a resident verifies with it without JavaScript', async () => {
	const { cookie } = await prepareSession(instance.url, editor);
	editorCookie = cookie;
	const upload = new FormData();
	upload.set(
		'censusFile',
		new File(['personnummer;postnummer\n19900101-1234;449 30\n198512240987;44931\n'], 'ale.csv', {
			type: 'text/csv'
		})
	);
	const uploaded = await post(`${instance.url}/dialogue/census/ale-kommun`, cookie, upload);
	expect(uploaded.status).toBe(200);
	expect(
		await (await fetch(`${instance.url}/dialogue/census/ale-kommun`, { headers: { cookie } })).text()
	).toContain('Listan har 2 invånare');

	const rut = await prepareSession(instance.url, readers[0]!);
	// Not the municipality's staff: no list for a reader.
	expect(
		(await fetch(`${instance.url}/dialogue/census/ale-kommun`, { headers: { cookie: rut.cookie } })).status
	).toBe(403);
	const action = `${instance.url}/dialogue/verify?/census&space=${ale}`;
	const wrong = await post(
		action,
		rut.cookie,
		new URLSearchParams({ organization: 'ale-kommun', identifier: '19900101-1234', postNumber: '44931' })
	);
	expect(wrong.status).toBe(400);
	const page = await wrong.text();
	expect(page).toContain('Uppgifterna stämmer inte med kommunens invånarlista');
	expect(page).toContain('value="19900101-1234"');
	// Said at the identity number, not at the municipality nor as "the form".
	expect(page).toMatch(/id="identifier-error"[^>]*>Personnummer: Uppgifterna stämmer inte/);
	expect(page).not.toContain('organization-error');
	expect(page).not.toContain('Formuläret:');
	const right = await post(
		action,
		rut.cookie,
		new URLSearchParams({ organization: 'ale-kommun', identifier: '19900101-1234', postNumber: '449 30' })
	);
	expect(right.status).toBe(303);
	expect(right.headers.get('location')).toBe(`/dialogue/verify?done=1&space=${ale}`);
	const done = await (
		await fetch(`${instance.url}/dialogue/verify?done=1&space=${ale}`, { headers: { cookie: rut.cookie } })
	).text();
	expect(done).toContain('Klart: du är nu verifierad invånare i Ale kommun');
	expect(done).toContain('<h2>Dina verifieringar</h2>');
	// Verified for the dialogue: no form to fill in again, the way back instead.
	expect(done).not.toContain('?/census');
	expect(done).toContain(`<a href="/dialogue/${ale}">Tillbaka till dialogen</a>`);
	// Sent from a page (`to`, a path on this site): back to it; another site's address is not followed.
	const verifyAt = (to: string) =>
		fetch(`${instance.url}/dialogue/verify?space=${ale}&to=${encodeURIComponent(to)}`, {
			headers: { cookie: rut.cookie }
		}).then((r) => r.text());
	expect(await verifyAt(`/dialogue/${ale}/debate`)).toContain(
		`<a href="/dialogue/${ale}/debate">Tillbaka till dialogen</a>`
	);
	const evil = await verifyAt('//evil.example/');
	expect(evil).not.toContain('evil.example');
	expect(evil).toContain(`<a href="/dialogue/${ale}">Tillbaka till dialogen</a>`);
	// Without a dialogue: Ale's list is not offered again, and the way on is the dialogues.
	const plain = await (
		await fetch(`${instance.url}/dialogue/verify`, { headers: { cookie: rut.cookie } })
	).text();
	expect(plain).not.toContain('<option value="ale-kommun"');
});

test('a resident verifies with e-identification through the provider and comes back verified', async () => {
	const nils = await prepareSession(instance.url, readers[1]!);
	let app = nils.cookie;
	const started = await post(
		`${instance.url}/dialogue/verify?/oidc&space=${ale}`,
		app,
		new URLSearchParams()
	);
	expect(started.status, instance.log().slice(-3000)).toBe(303);
	app = withCookies(app, started);
	// The provider's pages, as a browser would go through them (its cookies kept apart).
	let jar = '';
	let url = new URL(started.headers.get('location')!);
	let body: URLSearchParams | undefined;
	for (let step = 0; step < 20 && url.origin !== instance.url; step++) {
		const res = await fetch(url, {
			method: body ? 'POST' : 'GET',
			redirect: 'manual',
			headers: { cookie: jar, ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
			body
		});
		jar = withCookies(jar, res);
		body = undefined;
		const location = res.headers.get('location');
		if (location) {
			url = new URL(location, url);
			continue;
		}
		const html = await res.text();
		const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
		const prompt = /name="prompt" value="([^"]+)"/.exec(html)![1]!;
		url = new URL(action.replace(/&amp;/g, '&'), url);
		body = new URLSearchParams(prompt === 'login' ? { prompt, login: 'nils', password: 'x' } : { prompt });
	}
	expect(url.pathname).toBe('/dialogue/verify/oidc/callback');
	const back = await fetch(url, { redirect: 'manual', headers: { cookie: app } });
	expect(back.status).toBe(303);
	expect(back.headers.get('location')).toBe(`/dialogue/verify?space=${ale}&done=1`);
	const page = await (
		await fetch(new URL(back.headers.get('location')!, instance.url), { headers: { cookie: app } })
	).text();
	expect(page).toContain('Ale kommun');
	expect(page).toContain('e-legitimation');
});

test('the verify and census pages pass axe in both languages', async () => {
	const cookie = editorCookie;
	const context = await browser.newContext({ baseURL: instance.url });
	await context.addCookies(
		cookie.split('; ').map((c) => {
			const at = c.indexOf('=');
			return { name: c.slice(0, at), value: c.slice(at + 1), url: instance.url };
		})
	);
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	for (const address of [
		`/dialogue/verify?space=${ale}`,
		`/en/dialogue/verify?space=${ale}`,
		'/dialogue/census/ale-kommun',
		'/en/dialogue/census/ale-kommun'
	]) {
		const res = await page.goto(address);
		expect(res?.status(), address).toBe(200);
		expect(await axeViolations(page), address).toEqual([]);
	}
	await context.close();
});
