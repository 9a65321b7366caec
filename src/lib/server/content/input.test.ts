import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError } from '../kernel/errors.ts';
import { readQuery } from '../kernel/input.ts';
import { articlesApiQuery, inspirationQuery, searchQuery } from './input.ts';

const parse = (query: string) => readQuery(new URLSearchParams(query), inspirationQuery, 'content');
const problemsOf = (read: () => unknown) => {
	try {
		read();
		return [];
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
};
const problems = (query: string) => problemsOf(() => parse(query));

describe('the inspiration filter', () => {
	it('reads every filter', () => {
		expect(parse('theme=participation&kind=method&sdg=16.7&country=se&q=dialog&page=2')).toEqual({
			theme: 'participation',
			kind: 'method',
			sdg: { target: '16.7' },
			country: 'SE',
			q: 'dialog',
			page: 2
		});
		expect(parse('sdg=16')).toEqual({ sdg: { goal: 16 }, page: 1 });
		expect(parse('sdg=3.d').sdg).toEqual({ target: '3.d' });
		expect(parse('')).toEqual({ page: 1 });
		// Empty values are "no filter", and unknown parameters (utm_source …) are ignored.
		expect(parse('theme=&q=%20&utm_source=mail')).toEqual({ page: 1 });
	});

	it('names each bad parameter', () => {
		expect(problems('page=-1')).toEqual(['page:invalidPage']);
		expect(problems('page=abc')).toEqual(['page:invalidPage']);
		expect(problems('page=0')).toEqual(['page:invalidPage']);
		expect(problems('page=1001')).toEqual(['page:invalidPage']);
		expect(problems('sdg=99')).toEqual(['sdg:invalidSdg']);
		expect(problems('sdg=0')).toEqual(['sdg:invalidSdg']);
		expect(problems('sdg=16.999')).toEqual(['sdg:invalidSdg']);
		expect(problems('kind=poem')).toEqual(['kind:invalidKind']);
		expect(problems('theme=Robert%27);DROP TABLE article;--')).toEqual(['theme:invalidTheme']);
		expect(problems('country=SWE')).toEqual(['country:invalidCountry']);
		// A country that does not exist is refused too, rather than listing nothing.
		expect(problems('country=ZZ')).toEqual(['country:invalidCountry']);
		expect(problems(`q=${'a'.repeat(10_000)}`)).toEqual(['q:queryTooLong']);
		expect(problems('theme=participation&theme=transparency')).toEqual(['theme:repeated']);
		expect(problems('page=x&sdg=18')).toEqual(['sdg:invalidSdg', 'page:invalidPage']);
	});

	it('turns control characters in free text into spaces (PostgreSQL refuses NUL)', () => {
		expect(parse('q=a%00b%0A%1Fc').q).toBe('a b c');
		expect(parse('q=%00')).toEqual({ page: 1 });
	});

	it('accepts quotes, tsquery operators and SQL in free text as plain text', () => {
		for (const q of [`"citizen dialogue"`, `dialog & !demokrati | (x:*)`, `'; select pg_sleep(10); --`]) {
			expect(parse(`q=${encodeURIComponent(q)}`).q).toBe(q.trim());
		}
	});

	it('never fails with anything but a ValidationError, whatever the query string', () => {
		const key = fc.constantFrom('theme', 'kind', 'sdg', 'country', 'q', 'page', 'other');
		fc.assert(
			fc.property(fc.array(fc.tuple(key, fc.string({ maxLength: 300 })), { maxLength: 8 }), (pairs) => {
				const params = new URLSearchParams(pairs);
				try {
					const f = readQuery(params, inspirationQuery, 'content');
					expect(f.page).toBeGreaterThanOrEqual(1);
					const goal = f.sdg?.goal;
					expect(goal === undefined || (goal >= 1 && goal <= 17)).toBe(true);
					expect((f.q ?? '').length).toBeLessThanOrEqual(200);
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			}),
			{ numRuns: 2000 }
		);
	});

	it('parses raw, possibly broken, query strings the way the server receives them', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (raw) => {
				const params = new URL(`http://x/inspiration?${raw}`).searchParams;
				try {
					readQuery(params, inspirationQuery, 'content');
				} catch (e) {
					expect(e).toBeInstanceOf(ValidationError);
				}
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('the API parameters', () => {
	const api = (query: string) => readQuery(new URLSearchParams(query), articlesApiQuery, 'content');

	it('lang is sv or en, per_page 1 to 100, search at most 200 characters', () => {
		expect(api('lang=en').lang).toBe('en');
		expect(api('')).toMatchObject({ lang: 'sv', per_page: 20, page: 1 });
		expect(() => api('lang=de')).toThrow(ValidationError);
		expect(api('per_page=100').per_page).toBe(100);
		expect(() => api('per_page=101')).toThrow(ValidationError);
		expect(() => api('per_page=-5')).toThrow(ValidationError);
		const search = (query: string) => readQuery(new URLSearchParams(query), searchQuery, 'content');
		expect(search('q=dialog')).toEqual({ q: 'dialog', page: 1 });
		expect(search('')).toEqual({ q: '', page: 1 });
		expect(() => search(`q=${'x'.repeat(201)}`)).toThrow(ValidationError);
	});

	it('names the language first, then the page size, then the filters', () => {
		expect(problemsOf(() => api('sdg=99&page=x&per_page=500&lang=xx'))).toEqual([
			'lang:invalidLang',
			'per_page:invalidPerPage',
			'sdg:invalidSdg',
			'page:invalidPage'
		]);
	});
});
