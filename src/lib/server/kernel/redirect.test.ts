import { describe, expect, it } from 'vitest';
import { localTarget } from './redirect.ts';

describe('redirect targets after sign-in', () => {
	it('keeps paths on this site and refuses everything that could leave it', () => {
		expect(localTarget('/admin', '/x')).toBe('/admin');
		expect(localTarget('/en/admin?page=2', '/x')).toBe('/en/admin?page=2');
		for (const bad of [
			null,
			'',
			'https://evil.example',
			'//evil.example',
			'/\\evil.example',
			'/\t/evil.example',
			'/\n/evil.example',
			' /admin',
			'admin'
		]) {
			expect(localTarget(bad, '/x'), String(bad)).toBe('/x');
		}
	});
});
