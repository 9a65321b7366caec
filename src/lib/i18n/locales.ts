/** Interface languages. Swedish is the source; adding one is adding messages/<code>.json and a line here. */
export const locales = ['sv', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'sv';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** Swedish lives at the root, every other language under its own prefix (/en/…). */
export function localePrefix(locale: Locale): string {
	return locale === defaultLocale ? '' : `/${locale}`;
}

/** The locale of a path and the path without its prefix: "/en/goals/3" → ["en", "/goals/3"]. */
export function splitLocale(pathname: string): [Locale, string] {
	for (const locale of locales) {
		if (locale === defaultLocale) continue;
		const prefix = `/${locale}`;
		if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
			return [locale, pathname.slice(prefix.length) || '/'];
		}
	}
	return [defaultLocale, pathname];
}

/** A path in a given language: localizePath("en", "/goals") → "/en/goals". */
export function localizePath(locale: Locale, path: string): string {
	const prefix = localePrefix(locale);
	if (!prefix) return path;
	return path === '/' ? prefix : `${prefix}${path}`;
}
