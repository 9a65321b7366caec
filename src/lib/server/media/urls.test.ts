import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	documentHref,
	documentPathPattern,
	imagePathPattern,
	imageSrc,
	imageSrcset,
	isDocumentFileName,
	pickWidth
} from '#lib/media-urls.ts';
import { safeFileName } from './process.ts';
import { newStorageKey } from './store.ts';

// The addresses are a contract with the HTML sanitiser: these tests pin them down.
describe('media addresses', () => {
	const key = '0123456789abcdef0123456789abcdef';

	it('builds image and document addresses that match their own patterns', () => {
		expect(imageSrc(key, 640)).toBe(`/media/${key}/640.webp`);
		expect(imagePathPattern.exec(imageSrc(key, 640))?.slice(1)).toEqual([key, '640']);
		expect(documentHref(key, 'arsrapport-2024.pdf')).toBe(`/media/${key}/arsrapport-2024.pdf`);
		expect(documentPathPattern.exec(documentHref(key, 'arsrapport-2024.pdf'))?.slice(1)).toEqual([
			key,
			'arsrapport-2024.pdf'
		]);
		expect(imageSrcset(key, [960, 320, 640, 320])).toBe(
			`/media/${key}/320.webp 320w, /media/${key}/640.webp 640w, /media/${key}/960.webp 960w`
		);
		expect(pickWidth([320, 640, 960], 500)).toBe(640);
		expect(pickWidth([320, 640], 2000)).toBe(640);
		expect(pickWidth([], 2000)).toBeUndefined();
	});

	it.each([
		`/media/${key}/640.webp?x=1`,
		`/media/${key}/640.webp#a`,
		`https://evil.example/media/${key}/640.webp`,
		`//evil.example/media/${key}/640.webp`,
		`/media/${key.toUpperCase()}/640.webp`,
		`/media/${key}a/640.webp`,
		`/media/${key}/0640.webp`,
		`/media/${key}/640.webp.js`,
		`/media/${key}/../../admin`,
		`/media/${key}/640.svg`,
		`/en/media/${key}/640.webp`,
		`javascript:alert(1)//media/${key}/640.webp`
	])('refuses %s as an image address', (src) => {
		expect(imagePathPattern.test(src)).toBe(false);
	});

	it.each([
		`/media/${key}/rapport.pdf?download`,
		`/media/${key}/Rapport.pdf`,
		`/media/${key}/rapport.PDF`,
		`/media/${key}/.pdf`,
		`/media/${key}/-rapport.pdf`,
		`/media/${key}/rapport..pdf`,
		`/media/${key}/rapport.pdf/x`,
		`/media/${key}/rap port.pdf`,
		`/media/${key}/rapport.html`,
		`/media/${key}/640.webp`,
		`https://evil.example/media/${key}/rapport.pdf`
	])('refuses %s as a document address', (href) => {
		expect(documentPathPattern.test(href)).toBe(false);
	});

	it('every name the server makes fits the document pattern, whatever was uploaded', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 300 }), (original) => {
				const name = safeFileName(original, 'application/pdf');
				return isDocumentFileName(name) && documentPathPattern.test(documentHref(newStorageKey(), name));
			}),
			{ numRuns: 500 }
		);
	});

	it('storage keys are 32 hex characters and do not repeat', () => {
		const keys = new Set(Array.from({ length: 1000 }, newStorageKey));
		expect(keys.size).toBe(1000);
		for (const k of keys) expect(k).toMatch(/^[0-9a-f]{32}$/);
	});
});
