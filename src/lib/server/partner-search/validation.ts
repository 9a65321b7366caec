import { z } from 'zod';
import { ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { isCountryCode } from '../kernel/countries.ts';
import { isWorldRegion } from './regions.ts';

// Every form and query string of "find a partner" is read here. Each parser takes anything
// (a FormData turned into a record, or a URLSearchParams) and returns a typed value or throws a
// ValidationError naming each bad field with a catalogue code: never another exception.

/**
 * Working languages a profile can name (ISO 639-1): the programme's languages and those of the
 * partner countries it works with. Names come from the runtime's CLDR data (Intl.DisplayNames).
 */
export const workingLanguages = [
	'sv',
	'en',
	'fr',
	'es',
	'pt',
	'ar',
	'sq',
	'sr',
	'bs',
	'hr',
	'mk',
	'uk',
	'ru',
	'ka',
	'tr',
	'fa',
	'id',
	'vi',
	'km',
	'sw',
	'am',
	'so',
	'tn',
	'af',
	'zu',
	'xh',
	'rw'
] as const;
export type WorkingLanguage = (typeof workingLanguages)[number];

/** The longest offer or seek text, per language. */
export const profileTextMax = 2000;
/** A contact request: long enough to say who you are and why, short enough to read. */
export const messageMin = 20;
export const messageMax = 3000;
/** A reason given when reporting a request, or a moderation note. */
export const reasonMax = 1000;
export const noteMax = 500;
/** Free text in the listing's search. */
export const queryMax = 200;
/** Lists on a profile: more than this is not a profile but a catalogue. */
const listMax = {
	themes: 60,
	goals: 17,
	targets: 60,
	regions: 60,
	languages: workingLanguages.length
} as const;
const maxPage = 1000;

/** What a profile holds once parsed: every list de-duplicated, every text cleaned. */
export interface ProfileInput {
	themes: string[];
	goals: number[];
	targets: string[];
	/** ISO 3166-1 alpha-2 country codes (upper case) and world-region keys. */
	regions: string[];
	languages: WorkingLanguage[];
	offer: LocalizedText;
	seek: LocalizedText;
	contactName: string;
	contactEmail: string;
}

/** The profile form's fields as typed (the page fills the form in again from these). */
export interface ProfileFormValues {
	themes: string[];
	goals: string[];
	targets: string;
	regions: string[];
	languages: string[];
	offerSv: string;
	offerEn: string;
	seekSv: string;
	seekEn: string;
	contactName: string;
	contactEmail: string;
}

/** The theme keys and target codes that exist (the parser checks names against them). */
export interface KnownTags {
	themes: ReadonlySet<string>;
	targets: ReadonlySet<string>;
}

/**
 * Text as it will be stored: well-formed Unicode (a lone surrogate cannot go into jsonb), line
 * breaks as "\n", no other control characters (PostgreSQL refuses NUL), composed (NFC), trimmed.
 */
export function cleanText(value: string, multiline: boolean): string {
	const s = value.toWellFormed().replace(/\r\n?/g, '\n');
	const stripped = multiline
		? // eslint-disable-next-line no-control-regex
			s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\n{3,}/g, '\n\n')
		: s.replace(/\p{Cc}+/gu, ' ').replace(/\s+/gu, ' ');
	return stripped.normalize('NFC').trim();
}

/** One value of a record field: a string, or the first string of an array; else "". */
function one(raw: Record<string, unknown>, name: string): string {
	const v = raw[name];
	if (typeof v === 'string') return v;
	if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
	return '';
}

/** Every string value of a record field (checkboxes and multiple selects send several). */
function many(raw: Record<string, unknown>, name: string): string[] {
	const v = raw[name];
	if (typeof v === 'string') return [v];
	if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
	return [];
}

const asRecord = (raw: unknown): Record<string, unknown> =>
	typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};

/** A form's fields as a record: single fields as strings, repeated ones as arrays. */
export function formRecord(form: FormData): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(form.keys())) {
		const values = form.getAll(key).filter((v): v is string => typeof v === 'string');
		out[key] = values.length === 1 ? values[0]! : values;
	}
	return out;
}

/** What was typed into the profile form, to fill it in again after a failure. */
export function profileFormValues(raw: unknown): ProfileFormValues {
	const r = asRecord(raw);
	return {
		themes: many(r, 'themes'),
		goals: many(r, 'goals'),
		targets: one(r, 'targets'),
		regions: many(r, 'regions'),
		languages: many(r, 'languages'),
		offerSv: one(r, 'offerSv'),
		offerEn: one(r, 'offerEn'),
		seekSv: one(r, 'seekSv'),
		seekEn: one(r, 'seekEn'),
		contactName: one(r, 'contactName'),
		contactEmail: one(r, 'contactEmail')
	};
}

const themeKey = /^[a-z][a-z0-9-]{0,39}$/;
const targetCode = /^(1[0-7]|[1-9])\.(\d{1,2}|[a-z])$/;
const goalNumber = z
	.string()
	.trim()
	.regex(/^\d{1,2}$/)
	.transform(Number)
	.pipe(z.number().int().min(1).max(17));
const email = z.email().max(254);
const language = z.enum(workingLanguages);

/** A list field: every value checked, duplicates dropped, order kept; one problem per field. */
function list<T>(
	values: string[],
	field: keyof typeof listMax,
	code: ErrorCode<'partnerSearch'>,
	check: (value: string) => T | undefined,
	problems: FieldProblem<'partnerSearch'>[]
): T[] {
	if (values.length > listMax[field] * 4) {
		problems.push({ field, code: 'tooLong' });
		return [];
	}
	const out: T[] = [];
	for (const value of values) {
		if (value.trim() === '') continue;
		const parsed = check(value.trim());
		if (parsed === undefined) {
			problems.push({ field, code });
			return [];
		}
		if (!out.includes(parsed)) out.push(parsed);
	}
	if (out.length > listMax[field]) {
		problems.push({ field, code: 'tooLong' });
		return [];
	}
	return out;
}

/** A place of interest: a world region ("africa") or a country code ("BW", any case). */
export function parsePlace(value: string): string | undefined {
	const v = value.trim();
	if (isWorldRegion(v)) return v;
	if (/^[A-Za-z]{2}$/.test(v) && isCountryCode(v.toUpperCase())) return v.toUpperCase();
	return undefined;
}

/** Texts per language: each at most `profileTextMax`, at least one language filled in. */
function localized(
	values: { sv: string; en: string },
	field: 'offer' | 'seek',
	problems: FieldProblem<'partnerSearch'>[]
): LocalizedText {
	const out: LocalizedText = {};
	let bad = false;
	for (const lang of ['sv', 'en'] as const) {
		const text = cleanText(values[lang], true);
		if (text.length > profileTextMax) {
			problems.push({ field: `${field}${lang === 'sv' ? 'Sv' : 'En'}`, code: 'profileTextTooLong' });
			bad = true;
		} else if (text) out[lang] = text;
	}
	if (!bad && !out.sv && !out.en) problems.push({ field: `${field}Sv`, code: 'textInOneLanguage' });
	return out;
}

/**
 * Parses the profile form. Themes must exist, goals be 1–17, targets exist (written "11.3,
 * 16.7"), regions be countries or world regions, languages come from `workingLanguages`; at
 * least one theme and one language; offer and seek in at least one language.
 */
export function parseProfileForm(raw: unknown, known: KnownTags): ProfileInput {
	const v = profileFormValues(raw);
	const problems: FieldProblem<'partnerSearch'>[] = [];
	const themes = list(
		v.themes,
		'themes',
		'invalidTheme',
		(s) => (themeKey.test(s) && known.themes.has(s) ? s : undefined),
		problems
	);
	if (!themes.length && !problems.some((p) => p.field === 'themes'))
		problems.push({ field: 'themes', code: 'required' });
	const goals = list(
		v.goals,
		'goals',
		'invalidGoal',
		(s) => {
			const parsed = goalNumber.safeParse(s);
			return parsed.success ? parsed.data : undefined;
		},
		problems
	);
	const targets = list(
		v.targets.length > 2000 ? ['x'] : v.targets.split(/[\s,;]+/),
		'targets',
		'unknownTarget',
		(s) =>
			targetCode.test(s.toLowerCase()) && known.targets.has(s.toLowerCase()) ? s.toLowerCase() : undefined,
		problems
	);
	const regions = list(v.regions, 'regions', 'invalidRegion', parsePlace, problems);
	const languages = list(
		v.languages,
		'languages',
		'invalidLanguage',
		(s) => {
			const parsed = language.safeParse(s);
			return parsed.success ? parsed.data : undefined;
		},
		problems
	);
	if (!languages.length && !problems.some((p) => p.field === 'languages'))
		problems.push({ field: 'languages', code: 'required' });
	const offer = localized({ sv: v.offerSv, en: v.offerEn }, 'offer', problems);
	const seek = localized({ sv: v.seekSv, en: v.seekEn }, 'seek', problems);
	const contactName = cleanText(v.contactName, false);
	if (!contactName || !/[\p{L}\p{N}]/u.test(contactName))
		problems.push({ field: 'contactName', code: 'required' });
	else if (contactName.length > 100) problems.push({ field: 'contactName', code: 'tooLong' });
	const contactEmail = cleanText(v.contactEmail, false).toLowerCase();
	if (!contactEmail) problems.push({ field: 'contactEmail', code: 'required' });
	else if (!email.safeParse(contactEmail).success)
		problems.push({ field: 'contactEmail', code: 'invalidEmail' });
	if (problems.length) throw new ValidationError(problems, 'partnerSearch');
	return { themes, goals, targets, regions, languages, offer, seek, contactName, contactEmail };
}

/** A database id from a form field ("12"), or undefined. */
export function parseId(value: unknown): number | undefined {
	const s = typeof value === 'string' ? value.trim() : Array.isArray(value) ? value[0] : undefined;
	return typeof s === 'string' && /^[1-9]\d{0,8}$/.test(s) ? Number(s) : undefined;
}

/** A contact request as written: on behalf of which organization (when the writer has several), and the text. */
export interface ContactInput {
	organizationId: number | undefined;
	message: string;
}

/** Parses the contact form: a message of 20–3,000 characters; the organization as an id if given. */
export function parseContactForm(raw: unknown): ContactInput {
	const r = asRecord(raw);
	const problems: FieldProblem<'partnerSearch'>[] = [];
	const given = one(r, 'organization');
	const organizationId = parseId(given);
	if (given.trim() && organizationId === undefined)
		problems.push({ field: 'organization', code: 'unknownOrganization' });
	const message = cleanText(one(r, 'message'), true);
	if (!message) problems.push({ field: 'message', code: 'required' });
	else if (message.length < messageMin || message.length > messageMax)
		problems.push({ field: 'message', code: 'contactMessageLength' });
	if (problems.length) throw new ValidationError(problems, 'partnerSearch');
	return { organizationId, message };
}

/** A free text between 1 and `max` characters, for the field `field`. */
function requiredText(raw: unknown, field: string, max: number): string {
	const text = cleanText(one(asRecord(raw), field), true);
	if (!text) throw new ValidationError([{ field, code: 'required' }], 'partnerSearch');
	if (text.length > max) throw new ValidationError([{ field, code: 'tooLong' }], 'partnerSearch');
	return text;
}

/** The answer to a contact request: 1–3,000 characters. */
export function parseReplyForm(raw: unknown): { reply: string } {
	return { reply: requiredText(raw, 'reply', messageMax) };
}

/** Why a contact request is reported: 1–1,000 characters. */
export function parseReportForm(raw: unknown): { reason: string } {
	return { reason: requiredText(raw, 'reason', reasonMax) };
}

/** An editor hiding or showing a profile: which one, and a note of at most 500 characters. */
export function parseModerationForm(raw: unknown): { profileId: number; note: string } {
	const r = asRecord(raw);
	const problems: FieldProblem<'partnerSearch'>[] = [];
	const profileId = parseId(one(r, 'profile'));
	if (profileId === undefined) problems.push({ field: 'profile', code: 'required' });
	const note = cleanText(one(r, 'note'), true);
	if (note.length > noteMax) problems.push({ field: 'note', code: 'tooLong' });
	if (problems.length || profileId === undefined) throw new ValidationError(problems, 'partnerSearch');
	return { profileId, note };
}

/** The one-time token in an answer link: 32 random bytes, base64url (43 characters). */
export function isReplyToken(value: string): boolean {
	return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** What the profile listing can be filtered by. */
export interface ProfileFilter {
	theme?: string;
	goal?: number;
	target?: string;
	/** Where the organization is: a country or a world region. */
	location?: string;
	/** Where it looks for a partner: a country or a world region. */
	region?: string;
	language?: WorkingLanguage;
	q?: string;
	page: number;
}

/** The listing's parameters, in the order the page's form has them. */
export const filterParams = ['q', 'theme', 'sdg', 'location', 'region', 'language', 'page'] as const;

/**
 * Parses /find-a-partner's query string. A parameter given twice or malformed is named in the
 * ValidationError; unknown parameters are ignored so that shared links with tracking tags work.
 */
export function parseProfileFilter(params: URLSearchParams): ProfileFilter {
	const problems: FieldProblem<'partnerSearch'>[] = [];
	const filter: ProfileFilter = { page: 1 };
	const single = (name: string): string | undefined => {
		const values = params.getAll(name);
		if (values.length > 1) {
			problems.push({ field: name, code: 'repeated' });
			return undefined;
		}
		const value = values[0]?.trim();
		return value ? value : undefined;
	};
	const theme = single('theme');
	if (theme !== undefined) {
		if (themeKey.test(theme)) filter.theme = theme;
		else problems.push({ field: 'theme', code: 'invalidTheme' });
	}
	const sdg = single('sdg');
	if (sdg !== undefined) {
		if (/^(1[0-7]|[1-9])$/.test(sdg)) filter.goal = Number(sdg);
		else if (targetCode.test(sdg.toLowerCase())) filter.target = sdg.toLowerCase();
		else problems.push({ field: 'sdg', code: 'invalidSdg' });
	}
	for (const name of ['location', 'region'] as const) {
		const value = single(name);
		if (value === undefined) continue;
		const place = value.length <= 20 ? parsePlace(value) : undefined;
		if (place) filter[name] = place;
		else problems.push({ field: name, code: 'invalidRegion' });
	}
	const lang = single('language');
	if (lang !== undefined) {
		const parsed = language.safeParse(lang);
		if (parsed.success) filter.language = parsed.data;
		else problems.push({ field: 'language', code: 'invalidLanguage' });
	}
	const q = single('q');
	if (q !== undefined) {
		if (q.length > queryMax) problems.push({ field: 'q', code: 'queryTooLong' });
		else filter.q = cleanText(q, false) || undefined;
	}
	const page = single('page');
	if (page !== undefined) {
		if (/^\d{1,7}$/.test(page) && Number(page) >= 1 && Number(page) <= maxPage) filter.page = Number(page);
		else problems.push({ field: 'page', code: 'invalidPage' });
	}
	if (problems.length) throw new ValidationError(problems, 'partnerSearch');
	return filter;
}
