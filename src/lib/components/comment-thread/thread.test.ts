import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commentTime, segments } from './thread.ts';

describe('links in a comment', () => {
	it('makes http and https addresses links and leaves everything else text', () => {
		expect(segments('Läs https://www.ale.se/dialog och http://exempel.org/a?b=1#c nu')).toEqual([
			{ text: 'Läs ' },
			{ text: 'https://www.ale.se/dialog', href: 'https://www.ale.se/dialog' },
			{ text: ' och ' },
			{ text: 'http://exempel.org/a?b=1#c', href: 'http://exempel.org/a?b=1#c' },
			{ text: ' nu' }
		]);
		for (const text of [
			'javascript:alert(1)',
			'<a href="https://x.se">x</a>',
			'data:text/html,<script>alert(1)</script>',
			'ftp://exempel.org/fil',
			'www.exempel.org',
			'xhttps://exempel.org'
		]) {
			expect(segments(text).filter((s) => s.href && !s.href.startsWith('https://x.se'))).toEqual([]);
		}
		// An address inside markup is cut at the quote: the link is the address alone.
		expect(segments('<a href="https://x.se">x</a>').find((s) => s.href)?.href).toBe('https://x.se/');
	});

	it('leaves sentence punctuation out of the link but keeps a bracket the address opened', () => {
		expect(segments('Se https://exempel.org/sida.').map((s) => s.text)).toEqual([
			'Se ',
			'https://exempel.org/sida',
			'.'
		]);
		expect(segments('(se https://exempel.org)').map((s) => s.text)).toEqual([
			'(se ',
			'https://exempel.org',
			')'
		]);
		expect(segments('https://sv.wikipedia.org/wiki/Ale_(kommun), läs').find((s) => s.href)?.text).toBe(
			'https://sv.wikipedia.org/wiki/Ale_(kommun)'
		);
	});

	it('does not link an address with a password or without a host', () => {
		expect(segments('https://user:pw@exempel.org/').some((s) => s.href)).toBe(false);
		expect(segments('https://').some((s) => s.href)).toBe(false);
	});

	it('never loses or changes text, and every link is http or https', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 300 }), fc.webUrl(), fc.string({ maxLength: 50 }), (a, url, b) => {
				for (const text of [a, `${a} ${url} ${b}`]) {
					const parts = segments(text);
					expect(parts.map((p) => p.text).join('')).toBe(text);
					for (const p of parts) if (p.href) expect(p.href).toMatch(/^https?:\/\//);
				}
			})
		);
	});
});

describe('comment times', () => {
	it('are written in Swedish time, as each language writes them', () => {
		expect(commentTime('sv', '2026-12-02T09:05:00Z')).toBe('2 dec. 2026 10:05');
		expect(commentTime('en', '2026-07-02T09:05:00Z')).toBe('2 Jul 2026, 11:05');
		expect(commentTime('sv', '2026-12-02T09:05:00Z', true)).toBe('10:05');
	});
});
