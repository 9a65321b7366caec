import { describe, expect, it } from 'vitest';
import { isCrossSiteForm } from './cross-site.ts';

const self = 'https://partnerskap.example';
const request = (method: string, headers: Record<string, string>) =>
	new Request(`${self}/dialogue/x`, { method, headers, body: method === 'GET' ? null : 'a=1' });

describe('the cross-site form check', () => {
	it('lets this site’s own forms through and refuses another site’s', () => {
		const form = { 'content-type': 'application/x-www-form-urlencoded' };
		expect(isCrossSiteForm(request('POST', { ...form, origin: self }), self)).toBe(false);
		expect(isCrossSiteForm(request('POST', { ...form, origin: 'https://evil.example' }), self)).toBe(true);
		// A form that does not say where it comes from is refused too.
		expect(isCrossSiteForm(request('POST', form), self)).toBe(true);
	});

	it('refuses every kind of form body and every changing method, whatever the case of the type', () => {
		for (const type of [
			'multipart/form-data; boundary=x',
			'TEXT/PLAIN',
			'Application/X-Www-Form-Urlencoded'
		]) {
			for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
				expect(isCrossSiteForm(request(method, { 'content-type': type, origin: 'null' }), self)).toBe(true);
			}
		}
		// No type at all is read as a form.
		expect(isCrossSiteForm(new Request(`${self}/x`, { method: 'POST', body: null }), self)).toBe(true);
	});

	it('leaves reads and JSON calls alone (a browser cannot send JSON across sites without asking first)', () => {
		expect(isCrossSiteForm(request('GET', { origin: 'https://evil.example' }), self)).toBe(false);
		const json = { 'content-type': 'application/json', origin: 'https://evil.example' };
		expect(isCrossSiteForm(request('POST', json), self)).toBe(false);
	});
});
