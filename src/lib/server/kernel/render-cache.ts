import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import { contentVersion } from './content-version.ts';
import { config } from './config.ts';

/**
 * Public pages are the same for every visitor who is not signed in, so they are rendered once and
 * served from memory (compressed) until content changes or the entry is older than the TTL; an
 * entry past its TTL still stands in when the page cannot be rendered (the database away).
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

export interface RenderCacheStats {
	entries: number;
	/** Bytes of the bodies kept: identity plus the brotli and gzip forms made so far. */
	bytes: number;
	hits: number;
	misses: number;
}

export interface RenderCacheLimits {
	maxEntries: number;
	maxBytes: number;
	ttlMs: number;
}

function sizeOf(entry: StoredResponse): number {
	return entry.identity.byteLength + (entry.br?.byteLength ?? 0) + (entry.gzip?.byteLength ?? 0);
}

/**
 * A cache bounded in entries and in bytes: the least recently used entries go first (the Map's
 * order is the eviction order). One response larger than a quarter of the budget is not kept, or
 * a few large pages would push out every small one.
 */
export function createRenderCache({ maxEntries, maxBytes, ttlMs }: RenderCacheLimits) {
	const cache = new Map<string, StoredResponse>();
	/** What each kept entry was counted as, so an entry compressed later adds only what it grew. */
	const counted = new WeakMap<StoredResponse, { key: string; bytes: number }>();
	let bytes = 0;
	let hits = 0;
	let misses = 0;

	function remove(key: string): void {
		const entry = cache.get(key);
		if (!entry) return;
		cache.delete(key);
		bytes -= counted.get(entry)?.bytes ?? 0;
		counted.delete(entry);
	}

	function evict(): void {
		while (cache.size > maxEntries || (bytes > maxBytes && cache.size > 0))
			remove(cache.keys().next().value!);
	}

	return {
		lookup(key: string): StoredResponse | undefined {
			const hit = cache.get(key);
			if (!hit || hit.version !== contentVersion()) {
				if (hit) remove(key);
				misses++;
				return undefined;
			}
			// Past its TTL it is rendered again, but kept (at the front of the eviction order) for
			// `stale`: while the database is away, an old copy is better than an error page.
			if (Date.now() - hit.storedAt > ttlMs) {
				misses++;
				return undefined;
			}
			hits++;
			// Refresh its place: the Map's order is the eviction order.
			cache.delete(key);
			cache.set(key, hit);
			return hit;
		},

		/**
		 * The entry for a key however old, if the content has not changed since it was rendered: a
		 * page unpublished or edited since never comes back this way.
		 */
		stale(key: string): StoredResponse | undefined {
			const hit = cache.get(key);
			return hit && hit.version === contentVersion() ? hit : undefined;
		},

		store(key: string, entry: StoredResponse): void {
			remove(key);
			const size = sizeOf(entry);
			if (size > maxBytes / 4) return;
			cache.set(key, entry);
			counted.set(entry, { key, bytes: size });
			bytes += size;
			evict();
		},

		/** Counts what `encoded` added to an entry; an entry no longer kept counts nothing. */
		grew(entry: StoredResponse): void {
			const seen = counted.get(entry);
			if (!seen || cache.get(seen.key) !== entry) return;
			const size = sizeOf(entry);
			bytes += size - seen.bytes;
			seen.bytes = size;
			evict();
		},

		stats(): RenderCacheStats {
			return { entries: cache.size, bytes, hits, misses };
		}
	};
}

const { entries, maxBytes, ttlMs } = config().renderCache;
const pages = createRenderCache({ maxEntries: entries, maxBytes, ttlMs });

/** The stored page for a key, or undefined (gone, stale, or from before the content changed). */
export function lookup(key: string): StoredResponse | undefined {
	return pages.lookup(key);
}

/** A stored page past its TTL but of the current content, for when it cannot be rendered again. */
export function staleEntry(key: string): StoredResponse | undefined {
	return pages.stale(key);
}

export function store(key: string, entry: StoredResponse): void {
	pages.store(key, entry);
}

/** How full the page cache is and how often it answered, for /metrics. */
export function renderCacheStats(): RenderCacheStats {
	return pages.stats();
}

const compressible = /^(text\/|application\/(json|xml|atom\+xml|geo\+json|javascript))/;
/** Below this, compression costs more than it saves. */
const minSize = 1024;

export function isCompressible(contentType: string | null, size: number): boolean {
	return !!contentType && compressible.test(contentType) && size >= minSize;
}

/**
 * Brotli's window no larger than the page needs (its default is 4 MB): the same bytes or a few
 * fewer, less memory to set up and less time (median of six runs of 400: the search page 0.273 →
 * 0.205 ms, the listing 0.441 → 0.409 ms, the front page 0.366 → 0.319 ms).
 */
const brotliOptions = (body: Uint8Array) => ({
	params: {
		[constants.BROTLI_PARAM_QUALITY]: 5,
		[constants.BROTLI_PARAM_LGWIN]: Math.min(
			constants.BROTLI_MAX_WINDOW_BITS,
			Math.max(constants.BROTLI_MIN_WINDOW_BITS, Math.ceil(Math.log2(body.byteLength + 16)))
		),
		[constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength
	}
});
const gzipOptions = { level: 6 };
const brotliAside = promisify(brotliCompress);
const gzipAside = promisify(gzip);

/**
 * The body in the asked encoding, compressed on first need and kept with the entry, so a miss
 * costs one compression, not two. Brotli at a fast level: pages are small.
 */
export function encoded(
	entry: StoredResponse,
	encoding: 'br' | 'gzip',
	cache: Pick<ReturnType<typeof createRenderCache>, 'grew'> = pages
): Uint8Array {
	if (entry[encoding]) return entry[encoding];
	entry[encoding] =
		encoding === 'br'
			? brotliCompressSync(entry.identity, brotliOptions(entry.identity))
			: gzipSync(entry.identity, gzipOptions);
	cache.grew(entry);
	return entry[encoding];
}

/**
 * As `encoded`, compressed on libuv's thread pool: the thread that makes pages goes on meanwhile
 * (compressing small pages in place instead cost less CPU alone, 0.18 against 0.31 ms for the
 * search page, but answered fewer searches and lists under load: the pool uses the other core).
 * For a page just rendered; a stored one is compressed once.
 */
export async function encodedAside(
	entry: StoredResponse,
	encoding: 'br' | 'gzip',
	cache: Pick<ReturnType<typeof createRenderCache>, 'grew'> = pages
): Promise<Uint8Array> {
	if (!entry[encoding]) {
		const body =
			encoding === 'br'
				? await brotliAside(entry.identity, brotliOptions(entry.identity))
				: await gzipAside(entry.identity, gzipOptions);
		entry[encoding] ??= body;
		cache.grew(entry);
	}
	return entry[encoding]!;
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
