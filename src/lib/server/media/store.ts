import type { Config } from '../kernel/config.ts';
import type { MediaKind } from './schema.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AwsClient } from 'aws4fetch';

/** One stored file: its bytes as a stream and its size. */
export interface StoredObject {
	body: ReadableStream<Uint8Array>;
	size: number | null;
}

/**
 * Where the bytes of the media library live, by object key (`<storage key>/<file>`, e.g.
 * `3f…a1/640.webp`). The database holds what is known about a file; the store holds only bytes.
 */
export interface MediaStore {
	/** Which kind of store, for the log and the operations guide. */
	readonly kind: 'local' | 's3';
	/** Saves the bytes under the key, replacing what was there. */
	put(key: string, body: Uint8Array, contentType: string): Promise<void>;
	/** The object, or null when there is none under the key. */
	get(key: string): Promise<StoredObject | null>;
	/** Removes the object; removing one that is not there is no error. */
	delete(key: string): Promise<void>;
}

/** An object key: a storage key, a slash and a file name the server made. Nothing else is stored. */
const objectKeyPattern = /^[0-9a-f]{32}\/[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** The key of one file of a media item in the store. */
export function objectKey(storageKey: string, file: string): string {
	const key = `${storageKey}/${file}`;
	checkKey(key);
	return key;
}

function checkKey(key: string): void {
	// Keys come from the server, never from a visitor; this is a second lock on the door.
	if (!objectKeyPattern.test(key) || key.length > 140) throw new Error(`Not a media object key: ${key}`);
}

/** A storage key: 16 random bytes as 32 lowercase hex characters. Never derived from the upload. */
export function newStorageKey(): string {
	return randomBytes(16).toString('hex');
}

/** The object that holds a document (its download name lives in the database). */
export const documentObjectKey = (storageKey: string) => objectKey(storageKey, 'document.pdf');

/** The object that holds one width of an image. */
export const variantObjectKey = (storageKey: string, width: number) => objectKey(storageKey, `${width}.webp`);

/** Every object a library item has in the store. */
export function objectKeysOf(item: { kind: MediaKind; storageKey: string; variants: number[] }): string[] {
	return item.kind === 'document'
		? [documentObjectKey(item.storageKey)]
		: item.variants.map((w) => variantObjectKey(item.storageKey, w));
}

/** Reads a stored object's whole body (tests, and small files). */
export async function readAll(object: StoredObject): Promise<Uint8Array> {
	return new Uint8Array(await new Response(object.body).arrayBuffer());
}

/**
 * Files on local disk under `dir` (one folder per storage key). Writes go to a temporary file
 * first and are renamed into place, so a reader never sees half a file.
 */
export function localStore(dir: string): MediaStore {
	const root = path.resolve(dir);
	const file = (key: string) => {
		checkKey(key);
		return path.join(root, ...key.split('/'));
	};
	return {
		kind: 'local',
		async put(key, body) {
			const target = file(key);
			await mkdir(path.dirname(target), { recursive: true });
			const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
			try {
				await writeFile(temporary, body, { mode: 0o640 });
				await rename(temporary, target);
			} catch (error) {
				await rm(temporary, { force: true });
				throw error;
			}
		},
		async get(key) {
			const target = file(key);
			try {
				const info = await stat(target);
				if (!info.isFile()) return null;
				return {
					body: Readable.toWeb(createReadStream(target)) as ReadableStream<Uint8Array>,
					size: info.size
				};
			} catch (error) {
				if (isNotFound(error)) return null;
				throw error;
			}
		},
		async delete(key) {
			const target = file(key);
			await rm(target, { force: true });
			// The key's folder goes when its last file does.
			await rmdir(path.dirname(target)).catch(() => {});
		}
	};
}

function isNotFound(error: unknown): boolean {
	return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export interface S3Options {
	bucket: string;
	/** An S3-compatible service (https://s3.example.com, http://127.0.0.1:9000); AWS when omitted. */
	endpoint?: string;
	region?: string;
	accessKeyId: string;
	secretAccessKey: string;
	sessionToken?: string;
	/**
	 * `<endpoint>/<bucket>/<key>` (true: most S3-compatible services) or
	 * `<bucket>.<endpoint host>/<key>` (false: AWS). Defaults to true when an endpoint is given.
	 */
	forcePathStyle?: boolean;
	/** A folder in the bucket to keep the library under ("media/"); none by default. */
	prefix?: string;
	/** Tries after a 5xx or network failure (aws4fetch backs off between them). */
	retries?: number;
}

/**
 * An S3-compatible bucket, spoken to with signed HTTP requests (AWS Signature Version 4, by
 * aws4fetch). Uploads carry the SHA-256 of their body in the signature, so the service refuses
 * a body changed on the way.
 */
export function s3Store(options: S3Options): MediaStore {
	const region = options.region || 'us-east-1';
	const client = new AwsClient({
		accessKeyId: options.accessKeyId,
		secretAccessKey: options.secretAccessKey,
		sessionToken: options.sessionToken,
		service: 's3',
		region,
		retries: options.retries ?? 3
	});
	const endpoint = new URL(options.endpoint || `https://s3.${region}.amazonaws.com`);
	const pathStyle = options.forcePathStyle ?? !!options.endpoint;
	const prefix = (options.prefix ?? '').replace(/^\/+/, '');
	const base = endpoint.pathname.replace(/\/+$/, '');
	const url = (key: string) => {
		checkKey(key);
		const target = new URL(endpoint);
		const objectPath = `${prefix}${key}`
			.split('/')
			.map((part) => encodeURIComponent(part))
			.join('/');
		if (pathStyle) {
			target.pathname = `${base}/${encodeURIComponent(options.bucket)}/${objectPath}`;
		} else {
			target.hostname = `${options.bucket}.${endpoint.hostname}`;
			target.pathname = `${base}/${objectPath}`;
		}
		return target.toString();
	};
	const failure = async (what: string, key: string, res: Response) => {
		const text = (await res.text().catch(() => '')).slice(0, 300);
		return new Error(`S3 ${what} ${key} failed: ${res.status} ${text}`);
	};
	return {
		kind: 's3',
		async put(key, body, contentType) {
			const res = await client.fetch(url(key), {
				method: 'PUT',
				body: body as Uint8Array<ArrayBuffer>,
				headers: {
					'content-type': contentType,
					'x-amz-content-sha256': createHash('sha256').update(body).digest('hex')
				}
			});
			if (!res.ok) throw await failure('put', key, res);
			await res.body?.cancel();
		},
		async get(key) {
			const res = await client.fetch(url(key), { method: 'GET' });
			if (res.status === 404) {
				await res.body?.cancel();
				return null;
			}
			if (!res.ok || !res.body) throw await failure('get', key, res);
			const length = res.headers.get('content-length');
			return { body: res.body, size: length === null ? null : Number(length) };
		},
		async delete(key) {
			const res = await client.fetch(url(key), { method: 'DELETE' });
			if (!res.ok && res.status !== 404) throw await failure('delete', key, res);
			await res.body?.cancel();
		}
	};
}

/**
 * The store the settings ask for (kernel/config.ts): an S3-compatible bucket when MEDIA_S3_BUCKET is
 * set (with MEDIA_S3_ENDPOINT, MEDIA_S3_REGION, MEDIA_S3_ACCESS_KEY_ID, MEDIA_S3_SECRET_ACCESS_KEY),
 * else local disk: MEDIA_DIR, or `media` beside the database folder (./data/db → ./data/media).
 */
export function mediaStoreFor(media: Config['media']): MediaStore {
	const s3 = media.s3;
	if (s3) {
		const missing = (['accessKeyId', 'secretAccessKey'] as const)
			.filter((n) => !s3[n])
			.map((n) => (n === 'accessKeyId' ? 'MEDIA_S3_ACCESS_KEY_ID' : 'MEDIA_S3_SECRET_ACCESS_KEY'));
		if (missing.length) throw new Error(`MEDIA_S3_BUCKET is set but ${missing.join(' and ')} is not`);
		return s3Store({
			bucket: s3.bucket,
			endpoint: s3.endpoint,
			region: s3.region,
			accessKeyId: s3.accessKeyId!,
			secretAccessKey: s3.secretAccessKey!,
			sessionToken: s3.sessionToken,
			forcePathStyle: s3.forcePathStyle,
			prefix: s3.prefix
		});
	}
	return localStore(media.dir);
}
