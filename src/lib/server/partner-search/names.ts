import { asc, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import { pick, type LocalizedText } from '../kernel/localized.ts';
import { countryList } from '../kernel/countries.ts';
import { sdgGoal, theme } from '../taxonomy/schema.ts';
import { targetTitles } from '../taxonomy/goals.ts';
import { countryName, messages, type Locale } from '#lib/i18n/index.ts';
import { isWorldRegion, worldRegions } from './regions.ts';
import { workingLanguages } from './input.ts';

// Themes, goals, places and languages in the reader's language. A page reads the names once
// (`readNames`) and hands them to every list it shows: the listing, the suggestions, the filters.

const languageNames = new Map<string, Intl.DisplayNames>();

/** A working language's name in the interface language ("sq" → "albanska" / "Albanian"). */
export function languageName(locale: Locale, code: string): string {
	let names = languageNames.get(locale);
	if (!names) languageNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'language' })));
	try {
		return names.of(code) ?? code;
	} catch {
		return code;
	}
}

/** A place of interest's name: a world region from the catalogue, or a country. */
export function placeName(locale: Locale, place: string): string {
	return isWorldRegion(place)
		? messages(locale).partnerSearch.worldRegions[place]
		: countryName(locale, place);
}

/** A text in the reader's language when there is one, else the other, with its language. */
export interface ShownText {
	text: string;
	lang: string;
}

/** The text in the reader's language, else Swedish, else English, and which one it is. */
export function shown(text: LocalizedText, locale: Locale): ShownText {
	const lang = text[locale] ? locale : text.sv ? 'sv' : text.en ? 'en' : locale;
	return { text: text[lang] ?? '', lang };
}

/** The taxonomy's names in one language: read once per request. */
export interface Names {
	locale: Locale;
	/** Principles first, then topics, each in the editors' order. */
	themes: { key: string; name: string; kind: 'principle' | 'topic' }[];
	goals: { number: number; name: string }[];
	themeName: Map<string, string>;
	goalName: Map<number, string>;
	/** Each target's short title ("16.7" → its words). */
	targetName: Map<string, string>;
}

/** Every theme's and goal's name in the language (two small reads, side by side). */
export async function readNames(db: Database | Transaction, locale: Locale): Promise<Names> {
	const [themes, goals, targetName] = await Promise.all([
		db
			.select({ key: theme.key, name: theme.name, kind: theme.kind })
			.from(theme)
			.orderBy(
				sql`case ${theme.kind} when 'principle' then 0 else 1 end`,
				asc(theme.position),
				asc(theme.key)
			),
		db.select({ number: sdgGoal.number, name: sdgGoal.shortName }).from(sdgGoal).orderBy(asc(sdgGoal.number)),
		targetTitles(db, locale)
	]);
	const named = {
		themes: themes.map((t) => ({ key: t.key, name: pick(t.name, locale), kind: t.kind })),
		goals: goals.map((g) => ({ number: Number(g.number), name: pick(g.name, locale) }))
	};
	return {
		locale,
		...named,
		themeName: new Map(named.themes.map((t) => [t.key, t.name])),
		goalName: new Map(named.goals.map((g) => [g.number, g.name])),
		targetName
	};
}

/** Everything the profile form and the listing's filters offer, named in the language. */
export interface PartnerSearchOptions {
	themes: { key: string; name: string; kind: 'principle' | 'topic' }[];
	goals: { number: number; name: string }[];
	worldRegions: { code: string; name: string }[];
	countries: { code: string; name: string }[];
	languages: { code: string; name: string }[];
}

/** The choices of the forms and filters, from names already read. */
export function searchOptions(names: Names): PartnerSearchOptions {
	const { locale } = names;
	return {
		themes: names.themes,
		goals: names.goals,
		worldRegions: worldRegions.map((code) => ({ code, name: placeName(locale, code) })),
		countries: countryList(locale),
		languages: workingLanguages
			.map((code) => ({ code, name: languageName(locale, code) }))
			.sort((a, b) => a.name.localeCompare(b.name, locale))
	};
}
