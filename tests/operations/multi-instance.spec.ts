import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import S3rver from '@20minutes/s3rver';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readAll, s3Store } from '../../src/lib/server/media/store.ts';
import { launch } from '../e2e/browser.ts';
import {
	freePort,
	freshPostgres,
	instanceSecret,
	root,
	startInstance,
	type FreshPostgres,
	type Instance
} from '../e2e/instances.ts';
import { startReverseProxy, type ReverseProxy } from './reverse-proxy.ts';
import { prepareSession } from '../e2e/sessions.ts';

/**
 * The deployment the operations guide describes: two instances on one PostgreSQL database, the
 * media in an S3-compatible bucket, behind a reverse proxy (TRUST_PROXY=1, one ORIGIN: the
 * proxy's). An editor works through one instance; a visitor reads through the other.
 */

const adminUrl = process.env.TEST_DATABASE_URL;
const editor = {
	email: 'flera-instanser@example.se',
	password: 'redaktörens lösen för två instanser',
	role: 'editor'
};
const slug = 'ale-soker-nya-vagar-till-invanarna';
const oldTitle = 'Ale söker nya vägar till invånarna';
const bucket = 'partnerskap-media';
const s3Keys = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe.runIf(adminUrl)('two instances behind a reverse proxy (PostgreSQL, media in S3)', () => {
	let database: FreshPostgres | undefined;
	let s3: S3rver | undefined;
	let proxy: ReverseProxy | undefined;
	let instances: Instance[] = [];
	let browser: Browser | undefined;
	let dir: string;
	let endpoint: string;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'partnerskap-multi-'));
		database = await freshPostgres('multi');
		s3 = new S3rver({
			address: '127.0.0.1',
			port: 0,
			silent: true,
			directory: path.join(dir, 's3'),
			configureBuckets: [{ name: bucket }]
		});
		endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
		// Every process of the installation has the same settings: the database and the bucket.
		const shared = {
			DATABASE_URL: database.url,
			MEDIA_S3_BUCKET: bucket,
			MEDIA_S3_ENDPOINT: endpoint,
			MEDIA_S3_REGION: 'eu-north-1',
			MEDIA_S3_ACCESS_KEY_ID: s3Keys.accessKeyId,
			MEDIA_S3_SECRET_ACCESS_KEY: s3Keys.secretAccessKey
		};
		// The operator's first step on the new database: it migrates, loads the demo (its documents
		// go to the bucket) and adds the editor.
		await promisify(execFile)(
			process.execPath,
			[
				'scripts/admin-create.js',
				'--email',
				editor.email,
				'--role',
				editor.role,
				'--password',
				editor.password
			],
			{
				cwd: root,
				env: {
					...process.env,
					...shared,
					MEDIA_DIR: path.join(dir, 'media-admin'),
					BETTER_AUTH_SECRET: instanceSecret,
					OUTBOX_DIR: path.join(dir, 'outbox'),
					SMTP_URL: '',
					LOG_LEVEL: 'warn'
				}
			}
		);
		// The proxy's address is every instance's ORIGIN, so it is known before they start.
		const ports = [await freePort(), await freePort()];
		proxy = await startReverseProxy(ports.map((p) => `http://127.0.0.1:${p}`));
		instances = await Promise.all(
			ports.map((port, i) =>
				startInstance(
					{
						...shared,
						ORIGIN: proxy!.url,
						TRUST_PROXY: '1',
						// A folder of its own that must stay empty: the media are in the bucket.
						MEDIA_DIR: path.join(dir, `media-${i}`)
					},
					{ port }
				)
			)
		);
		browser = await launch();
	}, 180_000);

	afterAll(async () => {
		await browser?.close();
		await Promise.all(instances.map((i) => i.stop()));
		await proxy?.close();
		await s3?.close();
		await database?.drop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	test(
		'an editor changes an article and adds an image through instance 0; instance 1 serves the change within 2.5 s and the image from the bucket',
		{ timeout: 120_000 },
		async () => {
			const read = async (address: string) => {
				const started = Date.now();
				const res = await fetch(`${proxy!.url}${address}`);
				return { status: res.status, body: await res.text(), started, ms: Date.now() - started };
			};
			// A visitor has read the article through instance 1: it is in that instance's render cache.
			proxy!.use(1);
			for (let i = 0; i < 2; i++) {
				const page = await read(`/inspiration/${slug}`);
				expect(page.status).toBe(200);
				expect(page.body).toContain(`<h1>${oldTitle}</h1>`);
			}
			const readBefore = proxy!.hits[1]!;

			// The editor signs in (password and second factor) and works through instance 0 only.
			proxy!.use(0);
			const session = await prepareSession(proxy!.url, editor);
			const context = await browser!.newContext({ baseURL: proxy!.url });
			await context.addCookies(
				session.cookie.split('; ').map((pair) => ({
					name: pair.slice(0, pair.indexOf('=')),
					value: pair.slice(pair.indexOf('=') + 1),
					url: proxy!.url
				}))
			);
			const page = await context.newPage();
			page.setDefaultTimeout(20_000);
			await page.goto('/admin/media');
			const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#1d5f8a' } })
				.jpeg()
				.toBuffer();
			await page
				.getByLabel('Fil', { exact: true })
				.setInputFiles({ name: 'ale-dialog.jpg', mimeType: 'image/jpeg', buffer: photo });
			await page
				.getByLabel('Alternativtext på svenska')
				.first()
				.fill('Invånare i Ale samtalar med politiker');
			await page
				.getByLabel('Alternativtext på engelska')
				.first()
				.fill('Residents of Ale talking with politicians');
			await page.getByRole('button', { name: 'Ladda upp', exact: true }).click();
			await page.waitForLoadState();
			expect(await page.getByRole('status').first().textContent()).toBe('ale-dialog.jpg är uppladdad.');

			await page.goto('/admin/articles');
			await page.getByRole('link', { name: oldTitle }).click();
			await page.waitForURL(/\/admin\/articles\/\d+$/);
			await page.locator('[contenteditable="true"]').first().waitFor();
			const newTitle = `Ale når invånarna på nya sätt ${Date.now()}`;
			await page.getByLabel('Titel (svenska)').fill(newTitle);
			const sv = page.locator('section', { has: page.locator('#lang-sv') });
			await sv.getByRole('button', { name: 'Bild' }).click();
			await sv.getByRole('radio', { name: 'Invånare i Ale samtalar med politiker' }).check();
			await sv.getByRole('button', { name: 'Infoga bild' }).click();
			const saved = page.waitForResponse(
				(r) => r.request().method() === 'POST' && r.url().includes('?/save')
			);
			await page.getByRole('button', { name: 'Spara', exact: true }).click();
			expect((await saved).status()).toBe(200);
			const savedAt = Date.now();
			await page.getByRole('status').filter({ hasText: 'Sparat.' }).waitFor();
			// Everything the editor did went to instance 0.
			expect(proxy!.hits[1]).toBe(readBefore);

			// The visitor reads through instance 1 again, as often as a browser might reload.
			proxy!.use(1);
			let after = await read(`/inspiration/${slug}`);
			while (!after.body.includes(`<h1>${newTitle}</h1>`) && Date.now() - savedAt < 10_000) {
				await new Promise((r) => setTimeout(r, 25));
				after = await read(`/inspiration/${slug}`);
			}
			const visibleAfter = Date.now() - savedAt;
			console.log(
				`multi-instance: the change was visible through instance 1 after ${visibleAfter} ms ` +
					`(the read that showed it was sent at ${after.started - savedAt} ms and took ${after.ms} ms)`
			);
			expect(after.body).toContain(`<h1>${newTitle}</h1>`);
			expect(visibleAfter).toBeLessThanOrEqual(2500);

			// The image in the article, served by instance 1 from the bucket instance 0 wrote it to.
			const src = /<img[^>]* src="(\/media\/([0-9a-f]{32})\/(\d+)\.webp)"/.exec(after.body);
			expect(src, 'the article shows the image').not.toBeNull();
			const [, imagePath, key, width] = src!;
			const image = await fetch(`${proxy!.url}${imagePath}`);
			expect(image.status).toBe(200);
			expect(image.headers.get('content-type')).toBe('image/webp');
			const served = Buffer.from(await image.arrayBuffer());
			expect((await sharp(served).metadata()).width).toBe(Number(width));
			const stored = await s3Store({ bucket, endpoint, region: 'eu-north-1', retries: 0, ...s3Keys }).get(
				`${key}/${width}.webp`
			);
			expect(stored, 'the variant is in the bucket').not.toBeNull();
			expect(Buffer.from(await readAll(stored!)).equals(served)).toBe(true);
			// No process kept a file on its own disk.
			for (const folder of ['media-admin', 'media-0', 'media-1']) {
				const media = path.join(dir, folder);
				expect(existsSync(media) ? readdirSync(media) : []).toEqual([]);
			}
			expect(proxy!.hits[0]).toBeGreaterThan(0);
			await context.close();
		}
	);
});
