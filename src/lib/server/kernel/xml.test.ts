import { describe, expect, it } from 'vitest';
import { escapeXml } from './xml.ts';

describe('escapeXml', () => {
	it('escapes markup and quotes, leaves out what XML forbids, and keeps every other character', () => {
		expect(escapeXml(`<b title="x">Tom & Jerry's</b>`)).toBe(
			'&lt;b title=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/b&gt;'
		);
		expect(escapeXml('Pejë\u0000\u0008 ok\u000b\uFFFE\uD800')).toBe('Pejë ok');
		expect(escapeXml('Hörby – Peja 🌍\tny\nrad')).toBe('Hörby – Peja 🌍\tny\nrad');
	});
});
