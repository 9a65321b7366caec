import { readConfig } from '../kernel/config.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';
import { localStore, mediaStoreFor, objectKey, readAll, s3Store, type MediaStore } from './store.ts';

const key = 'a'.repeat(32);
const bytes = (text: string) => new TextEncoder().encode(text);

/** What every store must do, whatever is behind it. */
function behavesAsAStore(make: () => MediaStore) {
	it('keeps bytes under a key, gives them back, replaces and removes them', async () => {
		const store = make();
		const k = objectKey(key, '640.webp');
		expect(await store.get(k)).toBeNull();
		await store.put(k, bytes('first'), 'image/webp');
		const got = await store.get(k);
		expect(got?.size).toBe(5);
		expect(new TextDecoder().decode(await readAll(got!))).toBe('first');
		await store.put(k, bytes('second version'), 'image/webp');
		expect(new TextDecoder().decode(await readAll((await store.get(k))!))).toBe('second version');
		await store.delete(k);
		expect(await store.get(k)).toBeNull();
		// Removing what is gone is no error.
		await store.delete(k);
	});

	it('keeps a 10 MB file intact', async () => {
		const store = make();
		const big = new Uint8Array(10 * 1024 * 1024);
		for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
		const k = objectKey(key, 'document.pdf');
		await store.put(k, big, 'application/pdf');
		const back = await readAll((await store.get(k))!);
		expect(back.byteLength).toBe(big.byteLength);
		expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true);
		await store.delete(k);
	});

	it('refuses keys the server would never make', async () => {
		const store = make();
		for (const bad of [
			'../etc/passwd',
			`${key}/../../x`,
			`${key}/.hidden`,
			'abc/640.webp',
			`${key}/a/b`,
			`${key}/`
		]) {
			await expect(store.put(bad, bytes('x'), 'text/plain')).rejects.toThrow(/Not a media object key/);
			await expect(store.get(bad)).rejects.toThrow(/Not a media object key/);
		}
		expect(() => objectKey('../..', '640.webp')).toThrow();
	});
}

describe('the local store', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'media-local-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	behavesAsAStore(() => localStore(dir));

	it('writes the file under its key inside the folder, and leaves no temporary files', async () => {
		const store = localStore(dir);
		const k = objectKey('b'.repeat(32), '320.webp');
		await store.put(k, bytes('webp'), 'image/webp');
		expect(readFileSync(path.join(dir, 'b'.repeat(32), '320.webp'), 'utf8')).toBe('webp');
		expect(readdirSync(path.join(dir, 'b'.repeat(32)))).toEqual(['320.webp']);
		await store.delete(k);
		// The key's folder goes with its last file.
		expect(existsSync(path.join(dir, 'b'.repeat(32)))).toBe(false);
	});

	it('is chosen by default, beside the database folder or in MEDIA_DIR', () => {
		const dir = (env: Record<string, string>) => readConfig(env).media.dir;
		expect(dir({})).toBe(path.resolve('data/media'));
		expect(dir({ DATA_DIR: '/srv/partnerskap/db' })).toBe('/srv/partnerskap/media');
		expect(dir({ DATA_DIR: '/srv/db', MEDIA_DIR: '/mnt/media' })).toBe('/mnt/media');
		expect(mediaStoreFor(readConfig({ DATA_DIR: '/srv/partnerskap/db' }).media).kind).toBe('local');
	});
});

describe('the S3 store, against a fake S3 server that checks signatures', () => {
	let server: S3rver;
	let endpoint: string;
	const dir = mkdtempSync(path.join(tmpdir(), 'media-s3-'));
	// s3rver's one account.
	const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

	beforeAll(async () => {
		server = new S3rver({
			address: '127.0.0.1',
			port: 0,
			silent: true,
			directory: dir,
			configureBuckets: [{ name: 'partnerskap-media' }]
		});
		const { port } = await server.run();
		endpoint = `http://127.0.0.1:${port}`;
	});
	afterAll(async () => {
		await server?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	behavesAsAStore(() =>
		s3Store({ bucket: 'partnerskap-media', endpoint, region: 'eu-north-1', retries: 0, ...credentials })
	);

	it('keeps objects under the prefix, with their content type', async () => {
		const store = s3Store({
			bucket: 'partnerskap-media',
			endpoint,
			prefix: 'media/',
			retries: 0,
			...credentials
		});
		const k = objectKey(key, '960.webp');
		await store.put(k, bytes('image'), 'image/webp');
		const res = await fetch(`${endpoint}/partnerskap-media/media/${k}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/webp');
		expect(await res.text()).toBe('image');
		await store.delete(k);
	});

	it('is refused with a wrong secret, and says so', async () => {
		const store = s3Store({
			bucket: 'partnerskap-media',
			endpoint,
			accessKeyId: 'S3RVER',
			secretAccessKey: 'wrong',
			retries: 0
		});
		await expect(store.put(objectKey(key, '320.webp'), bytes('x'), 'image/webp')).rejects.toThrow(
			/S3 put .* failed: 403/
		);
	});

	it('fails loudly on a bucket that does not exist', async () => {
		const store = s3Store({ bucket: 'no-such-bucket', endpoint, retries: 0, ...credentials });
		await expect(store.put(objectKey(key, '320.webp'), bytes('x'), 'image/webp')).rejects.toThrow(
			/S3 put .* failed: 404/
		);
	});

	it('is chosen by MEDIA_S3_BUCKET and works from the environment alone', async () => {
		const env = {
			MEDIA_S3_BUCKET: 'partnerskap-media',
			MEDIA_S3_ENDPOINT: endpoint,
			MEDIA_S3_REGION: 'eu-north-1',
			MEDIA_S3_ACCESS_KEY_ID: 'S3RVER',
			MEDIA_S3_SECRET_ACCESS_KEY: 'S3RVER'
		};
		const store = mediaStoreFor(readConfig(env).media);
		expect(store.kind).toBe('s3');
		const k = objectKey(key, '1600.webp');
		await store.put(k, bytes('from env'), 'image/webp');
		expect(new TextDecoder().decode(await readAll((await store.get(k))!))).toBe('from env');
		await store.delete(k);
		expect(() => mediaStoreFor(readConfig({ MEDIA_S3_BUCKET: 'b' }).media)).toThrow(
			'MEDIA_S3_BUCKET is set but MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY is not'
		);
	});
});
