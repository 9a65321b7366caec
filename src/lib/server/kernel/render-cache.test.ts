import { describe, expect, it } from 'vitest';
import { chooseEncoding } from './render-cache.ts';
import { canonicalSearch, onlyPublicParams } from '../../query-params.ts';

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
