import { format, messages, type Locale } from '#lib/i18n/index.ts';
import { placeCovers } from '../regions.ts';
import { languageName, placeName } from '../names.ts';
import { goalOfTarget } from '../../taxonomy/goals.ts';

// How well another organization's profile fits: points for what both work on, where each looks
// for a partner, and the languages they share, with the reasons in words. Pure: no database.

/** What an organization is about, to match others against: its profile, or its partnerships. */
export interface Basis {
	country: string;
	themes: string[];
	goals: number[];
	targets: string[];
	regions: string[];
	languages: string[];
}

/** Another organization's profile, as the score reads it. */
export interface Candidate extends Basis {
	/** The organization's name in the reader's language. */
	name: string;
}

/** Points for each thing two profiles share (a shared target says more than a shared goal). */
export const weights = { theme: 3, target: 3, goal: 2, place: 4, language: 2 } as const;

/** A theme's name inside a sentence: "Deltagande" → "deltagande", but "FN" stays "FN". */
function inSentence(name: string, locale: Locale): string {
	const [first = '', second = ''] = [...name];
	return second && second === second.toLocaleLowerCase(locale)
		? first.toLocaleLowerCase(locale) + name.slice(first.length)
		: name;
}

function listOf(locale: Locale, items: string[]): string {
	// British English, as the catalogue writes it: "a, b and c".
	return new Intl.ListFormat(locale === 'en' ? 'en-GB' : locale, {
		style: 'long',
		type: 'conjunction'
	}).format(items);
}

/**
 * A partnership pairs a Swedish municipality or region with a local government abroad: a partner
 * is suggested only from the other side (two Swedish organizations, or two abroad, never).
 */
export function onOtherSides(country: string, otherCountry: string): boolean {
	return (country === 'SE') !== (otherCountry === 'SE');
}

/** The place in a list that covers a country, the country itself before its region. */
function mostSpecific(places: string[], country: string): string | undefined {
	return places.find((place) => place === country) ?? places.find((place) => placeCovers(place, country));
}

/**
 * Scores another profile against the basis and says why, in the reader's language: shared
 * themes, targets and goals (a goal only when no shared target already says it), a place either
 * side looks for a partner in that covers the other's country, and shared working languages.
 */
export function scoreMatch(
	mine: Basis,
	other: Candidate,
	locale: Locale,
	themeName: (key: string) => string,
	targetTitle: (code: string) => string | undefined = () => undefined
): { score: number; reasons: string[] } {
	const r = messages(locale).partnerSearch.reasons;
	const reasons: string[] = [];
	let score = 0;

	const themes = other.themes.filter((t) => mine.themes.includes(t));
	const targets = other.targets.filter((t) => mine.targets.includes(t));
	const covered = new Set(targets.map(goalOfTarget));
	const goalsOf = (b: { goals: number[]; targets: string[] }) =>
		new Set([...b.goals.map(Number), ...b.targets.map(goalOfTarget)]);
	const theirGoals = goalsOf(other);
	const goals = [...goalsOf(mine)].filter((g) => theirGoals.has(g) && !covered.has(g)).sort((a, b) => a - b);
	score += themes.length * weights.theme + targets.length * weights.target + goals.length * weights.goal;
	const shared = [
		...themes.map((t) => inSentence(themeName(t), locale)),
		...goals.map((g) => format(r.goal, { goal: g })),
		...targets.map((t) => {
			const title = targetTitle(t);
			return title ? format(r.targetTitled, { target: t, title }) : format(r.target, { target: t });
		})
	];
	if (shared.length) reasons.push(format(r.sharedWork, { list: listOf(locale, shared) }));

	const theySeek = mostSpecific(other.regions, mine.country);
	if (theySeek) {
		score += weights.place;
		reasons.push(format(r.theySeek, { org: other.name, place: placeName(locale, theySeek) }));
	}
	const weSeek = mostSpecific(mine.regions, other.country);
	if (weSeek) {
		score += weights.place;
		reasons.push(format(r.weSeek, { org: other.name, place: placeName(locale, weSeek) }));
	}

	const languages = other.languages.filter((l) => mine.languages.includes(l));
	if (languages.length) {
		score += languages.length * weights.language;
		reasons.push(
			format(r.languages, {
				list: listOf(
					locale,
					languages.map((l) => languageName(locale, l))
				)
			})
		);
	}
	return { score, reasons };
}
