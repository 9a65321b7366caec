import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { slugify } from './slug.ts';

describe('slugify', () => {
	it('writes Swedish and other names as plain address parts', () => {
		expect(slugify('Region Västerbotten')).toBe('region-vasterbotten');
		expect(slugify('Hörby kommun')).toBe('horby-kommun');
		expect(slugify('Peja kommun (Pejë)')).toBe('peja-kommun-peje');
		expect(slugify('  Åre — Östersund  ')).toBe('are-ostersund');
	});
	it('always gives something the slug matcher accepts, or nothing', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 200 }), (s) => {
				const slug = slugify(s);
				expect(slug === '' || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)).toBe(true);
				expect(slug.length).toBeLessThanOrEqual(80);
			})
		);
	});
});
