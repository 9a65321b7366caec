import { z } from 'zod';
import {
	fields,
	formValues,
	paragraphs,
	problemsOf,
	readForm,
	readQuery,
	requiredLine,
	type Input
} from '../kernel/input.ts';
import { NotFoundError, type FieldProblem } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { worldRegions } from './regions.ts';

// Every query string, form and route parameter of "find a partner", described with the kernel's
// shared fields and read with its reader. Codes are the catalogue's (`partnerSearch.errors`, then
// the shared ones), the same the pages have always shown.

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
/** Lists on a profile: more than this is not a profile but a catalogue. */
const listMax = { themes: 60, goals: 17, targets: 60, regions: 60, languages: workingLanguages.length };

// ---------------------------------------------------------------------------------------------
// Field schemas of this module, built on the kernel's.

/** A kernel field whose failure this module names with a code of its own ("invalidRegion"). */
function withCode<T extends z.ZodType>(schema: T, code: string) {
	return z.string(code).transform((value, ctx): z.output<T> => {
		const parsed = schema.safeParse(value);
		if (parsed.success) return parsed.data;
		ctx.issues.push({ code: 'custom', message: code, input: value });
		return z.NEVER;
	});
}

/** A place of interest: a world region ("africa") or a country ("bw" is read as "BW"). */
const place = withCode(z.union([z.enum(worldRegions), fields.country]), 'invalidRegion');
const language = z.enum(workingLanguages, 'invalidLanguage');
/** An organization named by a form (its id). */
const organizationId = withCode(fields.id, 'unknownOrganization');

/**
 * A list of checkboxes or a multiple select: empty values dropped, every value checked by `item`,
 * duplicates dropped (order kept), at most `max`. `required`: at least one.
 */
function tagList<T extends z.ZodType<unknown, string>>(item: T, max: number, required: boolean) {
	return z
		.array(z.string('invalid'), required ? 'required' : 'invalid')
		.max(max * 4, 'tooLong')
		.transform((values) => values.map((v) => v.trim()).filter((v) => v !== ''))
		.pipe(z.array(item))
		.transform((values) => [...new Set(values)] as z.output<T>[])
		.refine((values) => values.length <= max, 'tooLong')
		.refine((values) => !required || values.length > 0, 'required');
}

/** Targets typed in one field: "11.3, 16.7" (commas, semicolons or spaces between). */
const targetList = z
	.string('unknownTarget')
	.max(2000, 'unknownTarget')
	.transform((text) => text.split(/[\s,;]+/).filter((t) => t !== ''))
	.pipe(z.array(fields.target))
	.transform((values) => [...new Set(values)])
	.refine((values) => values.length <= listMax.targets, 'tooLong');

/** A profile's text in one language: paragraphs kept, never more than one blank line between. */
const profileText = paragraphs(profileTextMax, 'profileTextTooLong').transform((t) =>
	t.replace(/\n{3,}/g, '\n\n')
);

/** A text a person must write (an answer, a reason): 1 to `max` characters after cleaning. */
const requiredText = (max: number) =>
	z.string('required').pipe(paragraphs(max)).pipe(z.string().min(1, 'required'));

// ---------------------------------------------------------------------------------------------
// The listing's query string.

/** /find-a-partner's parameters, in the order its form has them (a problem names each). */
export const profileFilterShape = {
	theme: fields.theme.optional(),
	sdg: fields.goalOrTarget.optional(),
	/** Where the organization is: a country or a world region. */
	location: place.optional(),
	/** Where it looks for a partner: a country or a world region. */
	region: place.optional(),
	language: language.optional(),
	q: fields.query.optional(),
	page: fields.page.default(1)
};

/** What the profile listing can be filtered by. */
export interface ProfileFilter {
	theme?: string;
	goal?: number;
	target?: string;
	location?: string;
	region?: string;
	language?: WorkingLanguage;
	q?: string;
	page: number;
}

/**
 * Reads /find-a-partner's query string. A parameter given twice or malformed is named in the
 * ValidationError; unknown parameters are ignored so that shared links with tracking tags work.
 */
export function readProfileFilter(params: URLSearchParams): ProfileFilter {
	const { sdg, q, ...rest } = readQuery(params, profileFilterShape, 'partnerSearch');
	const filter: ProfileFilter = { ...rest, ...sdg };
	// A query of nothing but control characters is no query.
	if (q) filter.q = q;
	for (const key of Object.keys(filter) as (keyof ProfileFilter)[])
		if (filter[key] === undefined) delete filter[key];
	return filter;
}

/** /find-a-partner/profile?organization=12: which of the person's organizations the page shows. */
export const ownProfileQuery = { organization: fields.id.optional() };

// ---------------------------------------------------------------------------------------------
// The profile form.

/** The profile form, field by field (the hidden `organization` says whose profile it is). */
export const profileShape = {
	organization: organizationId,
	themes: tagList(fields.theme, listMax.themes, true),
	goals: tagList(fields.goal, listMax.goals, false).default([]),
	targets: targetList.default([]),
	regions: tagList(place, listMax.regions, false).default([]),
	languages: tagList(language, listMax.languages, true),
	offerSv: profileText.default(''),
	offerEn: profileText.default(''),
	seekSv: profileText.default(''),
	seekEn: profileText.default(''),
	contactName: z
		.string('required')
		.pipe(requiredLine(100))
		.refine((name) => /[\p{L}\p{N}]/u.test(name), 'required'),
	contactEmail: z
		.string('required')
		.transform((v) => v.trim())
		.pipe(z.string().min(1, 'required'))
		.pipe(fields.email)
};

/** What a profile holds once read: every list de-duplicated, every text cleaned. */
export interface ProfileInput {
	organizationId: number;
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

/**
 * The profile form as read, before the themes and targets are looked up: the profile when every
 * field is well-formed, the problems found so far (every field's at once), and the tags that
 * parsed, for the command to check against the taxonomy inside its transaction.
 */
export interface ProfileForm {
	organizationId: number;
	input: ProfileInput | null;
	problems: FieldProblem<'partnerSearch'>[];
	tags: { themes: string[]; targets: string[] };
}

const fieldOrder = Object.keys(profileShape);
const texts = ['offer', 'seek'] as const;

/**
 * Reads the profile form. Each field is checked by its schema; besides, offer and seek must each
 * be written in at least one language. An unreadable `organization` fails at once: the form is
 * then for no organization at all.
 */
export function readProfileForm(form: FormData | Record<string, unknown>): ProfileForm {
	const raw = form instanceof FormData ? formValues(form, profileShape) : form;
	const { organization } = readForm(raw, { organization: organizationId }, 'partnerSearch');
	const parsed = z.object(profileShape).safeParse(raw);
	const problems = parsed.success ? [] : problemsOf<'partnerSearch'>(parsed.error);
	for (const text of texts) {
		const sv = profileShape[`${text}Sv`].safeParse(raw[`${text}Sv`]);
		const en = profileShape[`${text}En`].safeParse(raw[`${text}En`]);
		if (sv.success && en.success && !sv.data && !en.data)
			problems.push({ field: `${text}Sv`, code: 'textInOneLanguage' });
	}
	problems.sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field));
	const themes = profileShape.themes.safeParse(raw.themes);
	const targets = profileShape.targets.safeParse(raw.targets);
	const tags = { themes: themes.success ? themes.data : [], targets: targets.success ? targets.data : [] };
	if (!parsed.success || problems.length)
		return { organizationId: organization, input: null, problems, tags };
	const v = parsed.data;
	const localized = (sv: string, en: string): LocalizedText => ({
		...(sv ? { sv } : {}),
		...(en ? { en } : {})
	});
	return {
		organizationId: organization,
		input: {
			organizationId: organization,
			themes: v.themes,
			goals: v.goals,
			targets: v.targets,
			regions: v.regions,
			languages: v.languages,
			offer: localized(v.offerSv, v.offerEn),
			seek: localized(v.seekSv, v.seekEn),
			contactName: v.contactName,
			contactEmail: v.contactEmail
		},
		problems,
		tags
	};
}

/**
 * Every problem of a profile form: those found reading it and those the taxonomy found with its
 * themes and targets (one per field), in the form's order.
 */
export function profileProblems(
	form: ProfileForm,
	tagProblems: readonly FieldProblem[]
): FieldProblem<'partnerSearch'>[] {
	const problems = [...form.problems];
	for (const p of tagProblems) if (!problems.some((q) => q.field === p.field)) problems.push(p);
	return problems.sort((a, b) => fieldOrder.indexOf(a.field) - fieldOrder.indexOf(b.field));
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

/** What was typed into the profile form, to fill it in again after a failure. */
export function profileFormValues(form: FormData): ProfileFormValues {
	const raw = formValues(form, profileShape);
	const list = (name: string) => (Array.isArray(raw[name]) ? (raw[name] as string[]) : []);
	const text = (name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');
	return {
		themes: list('themes'),
		goals: list('goals'),
		targets: text('targets'),
		regions: list('regions'),
		languages: list('languages'),
		offerSv: text('offerSv'),
		offerEn: text('offerEn'),
		seekSv: text('seekSv'),
		seekEn: text('seekEn'),
		contactName: text('contactName'),
		contactEmail: text('contactEmail')
	};
}

/** The renew button's form: whose profile. */
export const renewShape = { organization: organizationId };

// ---------------------------------------------------------------------------------------------
// Contact requests.

/** A contact request: on behalf of which organization (when the writer has several), and the text. */
export const contactShape = {
	organization: organizationId.optional(),
	message: z
		.string('required')
		.pipe(paragraphs(messageMax, 'contactMessageLength'))
		.pipe(z.string().min(1, 'required').min(messageMin, 'contactMessageLength'))
};
export type ContactInput = Input<typeof contactShape>;

/** The answer to a contact request: 1–3,000 characters. */
export const replyShape = { reply: requiredText(messageMax) };

/** Why a contact request is reported: 1–1,000 characters. */
export const reportShape = { reason: requiredText(reasonMax) };

/** The one-time token in an answer link: 32 random bytes, base64url (43 characters). */
const replyToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/**
 * The token of an answer link. One of another shape was never handed out: it is a link to
 * nothing (404), like one that matches no request.
 */
export function readReplyToken(value: string): string {
	if (!replyToken.safeParse(value).success) throw new NotFoundError('Contact request');
	return value;
}

// ---------------------------------------------------------------------------------------------
// Moderation.

/** An editor hiding or showing a profile: which one, and a note of at most 500 characters. */
export const moderationShape = {
	profile: withCode(fields.id, 'required'),
	note: paragraphs(noteMax).default('')
};
