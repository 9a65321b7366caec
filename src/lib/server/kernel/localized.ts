import { customType } from 'drizzle-orm/pg-core';

/** Text in several languages, keyed by locale ("sv", "en" …). Adding a language adds a key. */
export type LocalizedText = Partial<Record<string, string>>;

/** The text in the wanted language, else Swedish, else English, else whatever there is. */
export function pick(text: LocalizedText | null | undefined, locale: string): string {
	if (!text) return '';
	return text[locale] ?? text.sv ?? text.en ?? Object.values(text)[0] ?? '';
}

/** The language `pick` takes the text in (to mark a fallback with `lang`). */
export function textLanguage(text: LocalizedText | null | undefined, locale: string): string {
	if (!text) return locale;
	if (text[locale]) return locale;
	return text.sv ? 'sv' : text.en ? 'en' : (Object.keys(text)[0] ?? locale);
}

/** A Postgres tsvector column (Drizzle has no built-in type for it). */
export const tsvector = customType<{ data: string }>({
	dataType() {
		return 'tsvector';
	}
});
