import { page } from '$app/state';
import {
	countryName,
	formatDate,
	formatFileSize,
	format,
	localizePath,
	messages,
	plural,
	type Locale,
	type PluralForms
} from './index.ts';

/**
 * Everything a component needs for the page's language: the messages and helpers bound to it.
 * The locale comes from the root layout's data (it is decided by the address, /en or not).
 */
export function useI18n() {
	const locale: Locale = page.data.locale ?? 'sv';
	return {
		locale,
		m: messages(locale),
		/** An address in this language: path("/goals") → "/en/goals" in English. */
		path: (p: string) => localizePath(locale, p),
		format,
		plural: (forms: PluralForms, count: number, params?: Record<string, string | number>) =>
			plural(locale, forms, count, params),
		country: (code: string) => countryName(locale, code),
		date: (iso: string) => formatDate(locale, iso),
		fileSize: (bytes: number) => formatFileSize(locale, bytes)
	};
}
