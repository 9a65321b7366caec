import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { slugify, uniqueSlug } from './slug.ts';

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

describe('uniqueSlug', () => {
	it('takes the base when free, else the first free number, whatever else starts the same', async () => {
		const lookup = (taken: string[]) => async (prefix: string) => taken.filter((t) => t.startsWith(prefix));
		expect(await uniqueSlug('distrikt', lookup(['distrikt-2', 'distrikt-foo']))).toBe('distrikt');
		expect(await uniqueSlug('distrikt', lookup(['distrikt', 'distrikt-2']))).toBe('distrikt-3');
		expect(await uniqueSlug('ale', lookup(['ale', 'ale-kommun']))).toBe('ale-2');
	});
});
