import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { contentVersion } from './content-version.ts';
import { config } from './config.ts';

/**
 * Public pages are the same for every visitor who is not signed in, so they are rendered once and
 * served from memory (compressed) until content changes or the entry is older than the TTL.
 * adapter-node does not compress rendered responses, so this module also compresses the rest.
 */
export interface StoredResponse {
	status: number;
	headers: [string, string][];
	identity: Uint8Array;
	/** A weak validator (the same for every encoding of the body), for If-None-Match. */
	etag: string;
	/** Whether the body is worth compressing (text, 1 KB or more). */
	compressible: boolean;
	br?: Uint8Array;
	gzip?: Uint8Array;
	version: string;
	storedAt: number;
}

const { entries: maxEntries, ttlMs } = config().renderCache;
const cache = new Map<string, StoredResponse>();

export function lookup(key: string): StoredResponse | undefined {
	const hit = cache.get(key);
	if (!hit) return undefined;
	if (hit.version !== contentVersion() || Date.now() - hit.storedAt > ttlMs) {
		cache.delete(key);
		return undefined;
	}
	// Refresh its place: the Map's order is the eviction order.
	cache.delete(key);
	cache.set(key, hit);
	return hit;
}

export function store(key: string, entry: StoredResponse): void {
	cache.set(key, entry);
	while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
}

const compressible = /^(text\/|application\/(json|xml|atom\+xml|javascript))/;
/** Below this, compression costs more than it saves. */
const minSize = 1024;

export function isCompressible(contentType: string | null, size: number): boolean {
	return !!contentType && compressible.test(contentType) && size >= minSize;
}

/**
 * The body in the asked encoding, compressed on first need and kept with the entry, so a miss
 * costs one compression, not two. Brotli at a fast level: pages are small.
 */
export function encoded(entry: StoredResponse, encoding: 'br' | 'gzip'): Uint8Array {
	entry[encoding] ??=
		encoding === 'br'
			? brotliCompressSync(entry.identity, {
					params: {
						[constants.BROTLI_PARAM_QUALITY]: 5,
						[constants.BROTLI_PARAM_SIZE_HINT]: entry.identity.byteLength
					}
				})
			: gzipSync(entry.identity, { level: 6 });
	return entry[encoding];
}

export function etagOf(body: Uint8Array): string {
	return `W/"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** The best encoding the client accepts (q=0 refuses one), brotli before gzip. */
export function chooseEncoding(acceptEncoding: string | null): 'br' | 'gzip' | 'identity' {
	const accepted = new Map<string, number>();
	for (const part of (acceptEncoding ?? '').toLowerCase().split(',')) {
		const [name, ...rest] = part.trim().split(';');
		const q = rest.map((r) => /^\s*q=([\d.]+)\s*$/.exec(r)?.[1]).find((v) => v !== undefined);
		if (name) accepted.set(name, q === undefined ? 1 : Number(q));
	}
	const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
	if (ok('br')) return 'br';
	if (ok('gzip')) return 'gzip';
	return 'identity';
}
