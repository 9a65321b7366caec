import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
	chooseEncoding,
	createRenderCache,
	encoded,
	etagOf,
	lookup,
	renderCacheStats,
	store,
	type StoredResponse
} from './render-cache.ts';
import { contentChanged, contentVersion } from './content-version.ts';
import { canonicalSearch, onlyPublicParams } from '../../query-params.ts';

/** A rendered page of about `size` bytes: markup around text that compresses as HTML does. */
function page(size: number): StoredResponse {
	const vocabulary = [
		'kommun',
		'partnerskap',
		'demokrati',
		'medborgardialog',
		'lokal',
		'mal',
		'och',
		'for',
		'skola',
		'vatten',
		'klimat',
		'ungdom',
		'samverkan',
		'Ghana',
		'Kenya',
		'Botkyrka',
		'2024',
		'16.7'
	];
	const words = [...randomBytes(size)].map((b) => vocabulary[b % vocabulary.length]).join(' ');
	const html = `<!doctype html><html lang="sv"><body><main><p>${words}</p></main></body></html>`.slice(
		0,
		size
	);
	const identity = new TextEncoder().encode(html);
	return {
		status: 200,
		headers: [['content-type', 'text/html; charset=utf-8']],
		identity,
		etag: etagOf(identity),
		compressible: true,
		version: contentVersion(),
		storedAt: Date.now()
	};
}

const sizeOf = (e: StoredResponse) =>
	e.identity.byteLength + (e.br?.byteLength ?? 0) + (e.gzip?.byteLength ?? 0);

describe('the render cache, bounded in bytes', () => {
	it('counts each page with its compressed forms and lets the oldest go when over the budget', () => {
		const cache = createRenderCache({ maxEntries: 100, maxBytes: 20_000, ttlMs: 60_000 });
		const pages = ['/a', '/b', '/c', '/d'].map((key) => [key, page(4000)] as const);
		for (const [key, entry] of pages) cache.store(key, entry);
		expect(cache.stats()).toMatchObject({ entries: 4, bytes: 16_000 });

		// Visitors ask for brotli and gzip: the compressed forms are kept and counted too.
		for (const [, entry] of pages) {
			const br = encoded(entry, 'br', cache);
			expect(new TextDecoder().decode(brotliDecompressSync(br))).toBe(
				new TextDecoder().decode(entry.identity)
			);
			expect(gunzipSync(encoded(entry, 'gzip', cache)).equals(Buffer.from(entry.identity))).toBe(true);
		}
		const { entries, bytes } = cache.stats();
		// Each page is now 4000 + br + gzip bytes, 4 of them over 20,000: /a, the least recently
		// used, had to go; the newest stay, and the count is exactly what they hold.
		expect(sizeOf(pages[0]![1])).toBeGreaterThan(5000);
		expect(entries).toBe(3);
		expect(bytes).toBeLessThanOrEqual(20_000);
		expect(cache.lookup('/a')).toBeUndefined();
		const kept = pages.slice(1).map(([key]) => cache.lookup(key)!);
		expect(kept.every(Boolean)).toBe(true);
		expect(bytes).toBe(kept.reduce((sum, e) => sum + sizeOf(e), 0));
	});

	it('keeps the recently read pages and lets the unread ones go', () => {
		const cache = createRenderCache({ maxEntries: 100, maxBytes: 10_000, ttlMs: 60_000 });
		cache.store('/old-but-read', page(2400));
		cache.store('/unread', page(2400));
		cache.store('/third', page(2400));
		expect(cache.lookup('/old-but-read')).toBeDefined();
		cache.store('/fourth', page(2400));
		cache.store('/fifth', page(2400));
		expect(cache.lookup('/unread')).toBeUndefined();
		expect(cache.lookup('/old-but-read')).toBeDefined();
		expect(cache.stats()).toMatchObject({ entries: 4, bytes: 9600 });
	});

	it('does not keep one page larger than a quarter of the budget', () => {
		const cache = createRenderCache({ maxEntries: 100, maxBytes: 10_000, ttlMs: 60_000 });
		cache.store('/small', page(1000));
		cache.store('/huge', page(2501));
		expect(cache.lookup('/huge')).toBeUndefined();
		expect(cache.lookup('/small')).toBeDefined();
		expect(cache.stats()).toMatchObject({ entries: 1, bytes: 1000 });
	});

	it('still holds at most the number of entries it is given', () => {
		const cache = createRenderCache({ maxEntries: 2, maxBytes: 1_000_000, ttlMs: 60_000 });
		for (const key of ['/1', '/2', '/3']) cache.store(key, page(1500));
		expect(cache.stats()).toMatchObject({ entries: 2, bytes: 3000 });
		expect(cache.lookup('/1')).toBeUndefined();
	});

	it('counts hits and misses, and frees a page stored before the content changed', () => {
		const cache = createRenderCache({ maxEntries: 10, maxBytes: 100_000, ttlMs: 60_000 });
		expect(cache.lookup('/x')).toBeUndefined();
		cache.store('/x', page(3000));
		cache.store('/x', page(2000)); // stored again: counted once
		expect(cache.lookup('/x')).toBeDefined();
		expect(cache.lookup('/x')).toBeDefined();
		expect(cache.stats()).toEqual({ entries: 1, bytes: 2000, hits: 2, misses: 1 });
		contentChanged();
		expect(cache.lookup('/x')).toBeUndefined();
		expect(cache.stats()).toEqual({ entries: 0, bytes: 0, hits: 2, misses: 2 });
	});

	it('renders a page past its TTL again, but keeps it to stand in, until the content changes', () => {
		const cache = createRenderCache({ maxEntries: 10, maxBytes: 100_000, ttlMs: 60_000 });
		const old = { ...page(2000), storedAt: Date.now() - 61_000 };
		cache.store('/old', old);
		expect(cache.lookup('/old')).toBeUndefined();
		expect(cache.stale('/old')).toBe(old);
		expect(cache.stats()).toMatchObject({ entries: 1, hits: 0, misses: 1 });
		// Rendered again: the new copy replaces it.
		const fresh = page(1000);
		cache.store('/old', fresh);
		expect(cache.lookup('/old')).toBe(fresh);
		// A page edited or unpublished since never comes back.
		contentChanged();
		expect(cache.stale('/old')).toBeUndefined();
		expect(cache.lookup('/old')).toBeUndefined();
		expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
	});

	it('does not count a page compressed after it left the cache (a request still serving it)', () => {
		const cache = createRenderCache({ maxEntries: 1, maxBytes: 100_000, ttlMs: 60_000 });
		const first = page(3000);
		cache.store('/first', first);
		cache.store('/second', page(3000));
		encoded(first, 'br', cache);
		expect(cache.stats()).toMatchObject({ entries: 1, bytes: 3000 });
	});

	it('reports the pages the server keeps through renderCacheStats', () => {
		const before = renderCacheStats();
		const entry = page(2000);
		store('/stats-test', entry);
		expect(lookup('/stats-test')).toBe(entry);
		const br = encoded(entry, 'br');
		const after = renderCacheStats();
		expect(after.entries).toBe(before.entries + 1);
		expect(after.bytes).toBe(before.bytes + 2000 + br.byteLength);
		expect(after.hits).toBe(before.hits + 1);
	});
});

describe('content negotiation and cache keys', () => {
	it('prefers brotli, honours q=0 and wildcards', () => {
		expect(chooseEncoding('gzip, deflate, br')).toBe('br');
		expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
		expect(chooseEncoding('gzip;q=0.5')).toBe('gzip');
		expect(chooseEncoding('*;q=0')).toBe('identity');
		expect(chooseEncoding('*')).toBe('br');
		expect(chooseEncoding(null)).toBe('identity');
		expect(chooseEncoding('identity')).toBe('identity');
	});

	it('keys on the parameters pages use, in a stable order, dropping the rest', () => {
		expect(canonicalSearch('?utm_source=x&theme=participation&page=2')).toBe('?theme=participation&page=2');
		expect(canonicalSearch('?page=2&theme=participation')).toBe('?theme=participation&page=2');
		expect(canonicalSearch('?theme=a&theme=b')).toBe('?theme=a&theme=b');
		expect(canonicalSearch('?fbclid=1')).toBe('');
		expect(onlyPublicParams(new URLSearchParams('theme=a&page=2'))).toBe(true);
		expect(onlyPublicParams(new URLSearchParams('theme=a&notice=signed-out'))).toBe(false);
	});
});
