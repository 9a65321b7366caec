import countries from 'i18n-iso-countries';
import sv from 'i18n-iso-countries/langs/sv.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import type { Locale } from '#lib/i18n/locales.ts';

countries.registerLocale(sv);
countries.registerLocale(en);

const lists = new Map<string, { code: string; name: string }[]>();

/** Every ISO 3166-1 alpha-2 country (and Kosovo, XK) with its name in the language, by name. */
export function countryList(locale: Locale): { code: string; name: string }[] {
	let list = lists.get(locale);
	if (!list) {
		list = Object.entries(countries.getNames(locale, { select: 'alias' }))
			.map(([code, name]) => ({ code, name }))
			.sort((a, b) => a.name.localeCompare(b.name, locale));
		lists.set(locale, list);
	}
	return list;
}

/** Whether a code is a country we know. */
export function isCountryCode(code: string): boolean {
	return countries.isValid(code);
}
