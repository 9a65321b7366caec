import { sv, en, type Messages } from './catalogue.ts';
import countries from 'i18n-iso-countries';
import countriesSv from 'i18n-iso-countries/langs/sv.json' with { type: 'json' };
import countriesEn from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import type { Locale } from './locales.ts';

countries.registerLocale(countriesSv);
countries.registerLocale(countriesEn);

export * from './locales.ts';

export type { Messages };

const catalogues: Record<Locale, Messages> = { sv, en };

export function messages(locale: Locale): Messages {
	return catalogues[locale];
}

/** Fills `{name}` placeholders: format("Mål {goal}", { goal: 16 }) → "Mål 16". */
export function format(template: string, params: Record<string, string | number> = {}): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

/** Plural forms keyed by Intl.PluralRules categories; "other" is always there. */
export type PluralForms = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

const rules = new Map<string, Intl.PluralRules>();

/** Picks the plural form for `count` and fills it: plural("sv", hits, 1) → "1 träff". */
export function plural(
	locale: Locale,
	forms: PluralForms,
	count: number,
	params: Record<string, string | number> = {}
): string {
	let rule = rules.get(locale);
	if (!rule) rules.set(locale, (rule = new Intl.PluralRules(locale)));
	const form = forms[rule.select(count)] ?? forms.other;
	return format(form, { count: count.toLocaleString(locale), ...params });
}

const regionNames = new Map<string, Intl.DisplayNames>();

/**
 * A country's name in the interface language ("XK" → "Kosovo"), from i18n-iso-countries (the same
 * list the server validates against), short names ("alias"), falling back to the runtime's CLDR names, then the code.
 */
export function countryName(locale: Locale, code: string): string {
	const fromList = countries.getName(code, locale, { select: 'alias' });
	if (fromList) return fromList;
	let names = regionNames.get(locale);
	if (!names) regionNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region' })));
	try {
		return names.of(code) ?? code;
	} catch {
		return code;
	}
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as people in that language write it ("12 mars 2018", "12 March 2018"). */
export function formatDate(locale: Locale, iso: string): string {
	let f = dateFormats.get(locale);
	if (!f) {
		// Creating a formatter is costly; one per language is reused.
		f = new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
			day: 'numeric',
			month: 'long',
			year: 'numeric',
			timeZone: 'Europe/Stockholm'
		});
		dateFormats.set(locale, f);
	}
	return f.format(new Date(iso));
}

const sizeFormats = new Map<string, Intl.NumberFormat>();

/**
 * A file's size as readers expect it: "640 kB", "1,2 MB" in Swedish, "1.2 MB" in English; the
 * number and its unit never broken over two lines.
 */
export function formatFileSize(locale: Locale, bytes: number): string {
	const unit = bytes >= 1_000_000 ? 'megabyte' : 'kilobyte';
	let f = sizeFormats.get(locale + unit);
	if (!f) {
		// As with dates: one formatter per language and unit, reused.
		f = new Intl.NumberFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', {
			style: 'unit',
			unit,
			unitDisplay: 'short',
			maximumFractionDigits: unit === 'megabyte' ? 1 : 0
		});
		sizeFormats.set(locale + unit, f);
	}
	return f.format(Math.max(1, bytes / (unit === 'megabyte' ? 1_000_000 : 1000))).replace(/\s/g, '\u00a0');
}
