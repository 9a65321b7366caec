import { describe, expect, it } from 'vitest';
import { sanitizeRichText } from './sanitize.ts';

describe('stored rich text', () => {
	it('keeps the allowed structure and drops scripts, handlers and dangerous URLs', () => {
		expect(sanitizeRichText('<h2>Rubrik</h2><p>Text <strong>fet</strong></p>')).toBe(
			'<h2>Rubrik</h2><p>Text <strong>fet</strong></p>'
		);
		const dirty = [
			'<script>alert(1)</script>',
			'<img src=x onerror=alert(1)>',
			'<a href="javascript:alert(1)">x</a>',
			'<a href="data:text/html,<script>alert(1)</script>">x</a>',
			'<svg onload=alert(1)>',
			'<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
			'<iframe src="https://example.org"></iframe>'
		].join('');
		const clean = sanitizeRichText(dirty);
		expect(clean).not.toMatch(/script|onerror|onload|onclick|javascript:|data:|<svg|<img|<iframe|style=/i);
		expect(sanitizeRichText('<a href="https://example.org">länk</a>')).toBe(
			'<a href="https://example.org" rel="nofollow noopener">länk</a>'
		);
	});
});

describe('links in stored rich text', () => {
	it('keeps absolute web and mail addresses, site paths and anchors, and drops the rest', () => {
		const href = (h: string) => /href="([^"]*)"/.exec(sanitizeRichText(`<a href="${h}">x</a>`))?.[1];
		expect(href('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
		expect(href('mailto:info@example.se')).toBe('mailto:info@example.se');
		expect(href('/inspiration/tidsresemetodiken')).toBe('/inspiration/tidsresemetodiken');
		expect(href('#del-2')).toBe('#del-2');
		expect(href('`javascript:alert(1)`')).toBeUndefined();
		expect(href('//evil.example/x')).toBeUndefined();
		expect(href('relative/path')).toBeUndefined();
		expect(href('https://example.org/&quot; onfocus=&quot;alert(1)')).toBeUndefined();
		expect(sanitizeRichText('<a href="javascript:alert(1)">x</a>')).toBe('<a rel="nofollow noopener">x</a>');
	});
});
