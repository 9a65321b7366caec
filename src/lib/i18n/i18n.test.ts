import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
	countryName,
	format,
	formatDate,
	formatFileSize,
	localizePath,
	messages,
	plural,
	splitLocale
} from './index.ts';

type Tree = { [key: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
	Object.entries(tree).flatMap(([k, v]) =>
		typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)
	);

describe('message catalogues', () => {
	const dir = new URL('../../../messages/', import.meta.url);
	// messages/<language>/<module>.json, and <module>/<part>.json for a module split by concern:
	// every language has every file of Swedish (the source).
	const languages = readdirSync(dir).filter((f) => !f.includes('.'));
	const modules = (readdirSync(new URL('sv/', dir), { recursive: true }) as string[]).filter((f) =>
		f.endsWith('.json')
	);
	const read = (language: string, file: string) =>
		JSON.parse(readFileSync(new URL(`${language}/${file}`, dir), 'utf8')) as Tree;
	const files = languages.flatMap((language) => modules.map((file) => `${language}/${file}`));

	it('has a folder per language with the same files', () => {
		expect(languages.sort()).toEqual(['en', 'sv']);
		for (const language of languages) {
			expect(
				(readdirSync(new URL(`${language}/`, dir), { recursive: true }) as string[])
					.filter((f) => f.endsWith('.json'))
					.sort()
			).toEqual([...modules].sort());
		}
	});

	it.each(files)('%s has exactly the keys of Swedish, none empty', (path) => {
		const [language = '', ...rest] = path.split('/');
		const file = rest.join('/');
		const source = keys(read('sv', file));
		const catalogue = read(language, file);
		const own = keys(catalogue);
		// Plural forms may differ by language (Arabic has six); the "other" form must be there.
		const base = (k: string) => k.replace(/\.(zero|one|two|few|many)$/, '.other');
		expect([...new Set(own.map(base))].sort()).toEqual([...new Set(source.map(base))].sort());
		const values = own.map((k) => k.split('.').reduce<Tree | string>((t, p) => (t as Tree)[p]!, catalogue));
		expect(values.filter((v) => typeof v !== 'string' || !v.trim())).toEqual([]);
	});
});

describe('formatting', () => {
	it('fills placeholders and picks plural forms per language', () => {
		expect(format('Mål {goal}', { goal: 16 })).toBe('Mål 16');
		expect(plural('sv', messages('sv').content.inspiration.hits, 1)).toBe('1 träff');
		expect(plural('sv', messages('sv').content.inspiration.hits, 12)).toBe('12 träffar');
		expect(plural('en', messages('en').content.inspiration.hits, 1)).toBe('1 result');
		expect(plural('en', messages('en').content.inspiration.hits, 0)).toBe('0 results');
		expect(plural('sv', messages('sv').content.inspiration.hits, 10000)).toBe('10\u00a0000 träffar');
	});

	it('names countries and dates in the language', () => {
		expect(countryName('sv', 'XK')).toBe('Kosovo');
		expect(countryName('sv', 'ZA')).toBe('Sydafrika');
		expect(countryName('en', 'BW')).toBe('Botswana');
		expect(formatDate('sv', '2017-10-02T10:00:00Z')).toBe('2 oktober 2017');
		expect(formatDate('en', '2017-10-02T10:00:00Z')).toBe('2 October 2017');
	});

	it('gives file sizes in kB below a megabyte and in MB with one decimal above, in the language', () => {
		// With a no-break space: the unit never wraps away from its number.
		const plain = (s: string) => (s.includes(' ') ? 'a breaking space' : s.replace(/\u00a0/g, ' '));
		expect(plain(formatFileSize('sv', 640_400))).toBe('640 kB');
		expect(plain(formatFileSize('sv', 1_234_567))).toBe('1,2 MB');
		expect(plain(formatFileSize('en', 1_234_567))).toBe('1.2 MB');
		// A tiny file is not "0 kB".
		expect(plain(formatFileSize('en', 120))).toBe('1 kB');
	});

	it('maps addresses between languages', () => {
		expect(splitLocale('/en/goals/3')).toEqual(['en', '/goals/3']);
		expect(splitLocale('/en')).toEqual(['en', '/']);
		expect(splitLocale('/english')).toEqual(['sv', '/english']);
		expect(localizePath('en', '/')).toBe('/en');
		expect(localizePath('sv', '/goals')).toBe('/goals');
	});
});
