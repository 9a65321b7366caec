import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { defaultLocale, locales, messages, splitLocale, type Locale } from '#lib/i18n/index.ts';
import { isCountryCode } from './countries.ts';
import { ValidationError, type FieldProblem, type Scope } from './errors.ts';

/**
 * The one reader of what people send: query strings, forms and route parameters. A module
 * describes its inputs in its `input.ts` as a shape of field schemas (the shared ones are here);
 * the reader applies the same rules everywhere:
 * - every value it reads, of every field, has its control characters other than tab and line
 *   breaks replaced by a space (`withoutControls`), so NUL never reaches the database;
 * - a query parameter is trimmed; empty is absent; given twice it is an error (`repeated`), unless
 *   its schema is a list; unknown parameters are ignored, so links with tracking tags still work;
 * - a form field is taken as typed (a password is never trimmed); empty is absent; a list field
 *   reads every value; a file field reads the file;
 * - each check's message is its error code, and a failure names every bad field at once.
 */

/** A field schema's message when it has none of its own (a schema written without a code). */
const fallbackCode = 'invalid';

// ---------------------------------------------------------------------------------------------
// Text

// C0 controls but tab, line feed and carriage return, and DEL: nobody types them, PostgreSQL
// refuses NUL and XML the other C0 controls; they come with text pasted from other programs, or
// from someone trying what breaks.
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]+/g;

/**
 * A value as the reader passes it on, whatever the field: each run of control characters (but tab
 * and line breaks, which a textarea needs) becomes one space. Replaced, not refused: they are
 * invisible, so a form sent back for them could not be corrected, and in a free text they stood
 * between words. Where a space is wrong (an address, a number, a slug, a token) the field's own
 * check then refuses the value with its usual message; a password reads the same on the way in
 * as when it was chosen.
 */
export function withoutControls(value: string): string {
	return value.replace(controls, ' ');
}

/**
 * Text as it will be stored: well-formed Unicode (a lone surrogate cannot be stored as JSON),
 * no control characters but line breaks and tabs (PostgreSQL refuses NUL), composed (NFC) so
 * "ä" typed two ways is one text, trimmed.
 */
export function cleanText(value: string): string {
	return withoutControls(value.toWellFormed()).replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

/** One line of text: runs of white space (line breaks too) become one space. */
export function cleanLine(value: string): string {
	return cleanText(value).replace(/\s+/gu, ' ');
}

/** A line of at most `max` characters after cleaning ("tooLong" past it, or `code`). */
export const line = (max: number, code = 'tooLong') =>
	z
		.string(fallbackCode)
		.max(max * 4 + 100, code)
		.transform(cleanLine)
		.pipe(z.string().max(max, code));

/** A required line: empty after cleaning is `required`. */
export const requiredLine = (max: number, code = 'tooLong') =>
	z.string('required').transform(cleanLine).pipe(z.string().min(1, 'required').max(max, code));

/** Text with paragraphs (line breaks kept), at most `max` characters. */
export const paragraphs = (max: number, code = 'tooLong') =>
	z
		.string(fallbackCode)
		.max(max * 4 + 100, code)
		.transform(cleanText)
		.pipe(z.string().max(max, code));

/** One field per interface language, `<prefix>_<locale>` (title_sv, title_en …). */
export const perLocale = <P extends string, T extends z.ZodType>(prefix: P, schema: T) =>
	Object.fromEntries(locales.map((l) => [`${prefix}_${l}`, schema])) as Record<`${P}_${Locale}`, T>;

/** The longest free-text search we accept; longer ones are refused with a message, not cut. */
export const maxQueryLength = 200;

// ---------------------------------------------------------------------------------------------
// Shared fields: one definition each, used by every module's input.ts.

const goalPattern = /^(1[0-7]|[1-9])$/;
const targetPattern = /^(1[0-7]|[1-9])\.(\d{1,2}|[a-z])$/i;

/** A whole number written plainly ("7", not "07", "7.0" or "1e2") within bounds. */
const wholeNumber = (min: number, max: number, code: string) =>
	z
		.string(code)
		.regex(/^(0|[1-9]\d{0,8})$/, code)
		.transform(Number)
		.pipe(z.number().int().min(min, code).max(max, code));

export const fields = {
	/** A listing's page: 1 to 1000 (far beyond any real listing; OFFSET is not a weapon). */
	page: wholeNumber(1, 1000, 'invalidPage'),
	/** Items a page of the API: 1 to 100. */
	perPage: wholeNumber(1, 100, 'invalidPerPage'),
	/** An interface language. */
	lang: z.enum(locales, 'invalidLang'),
	/** Free-text search. */
	query: line(maxQueryLength, 'queryTooLong'),
	/** A theme's key. */
	theme: z.string('invalidTheme').regex(/^[a-z][a-z0-9-]{0,39}$/, 'invalidTheme'),
	/** A Global Goal, 1–17. */
	goal: z.string('invalidGoal').regex(goalPattern, 'invalidGoal').transform(Number),
	/** A target ("16.7", "16.a"; "16.A" is read as "16.a"). */
	target: z
		.string('unknownTarget')
		.regex(targetPattern, 'unknownTarget')
		.transform((t) => t.toLowerCase()),
	/** `sdg=16` or `sdg=16.7`: a goal or a target, never both. */
	goalOrTarget: z
		.string('invalidSdg')
		.regex(/^(1[0-7]|[1-9])(\.(\d{1,2}|[a-z]))?$/i, 'invalidSdg')
		.transform((v): { goal?: number; target?: string } =>
			v.includes('.') ? { target: v.toLowerCase() } : { goal: Number(v) }
		),
	/** An ISO 3166-1 alpha-2 country we know ("se" is read as "SE"). */
	country: z
		.string('invalidCountry')
		.regex(/^[A-Za-z]{2}$/, 'invalidCountry')
		.transform((c) => c.toUpperCase())
		.refine(isCountryCode, 'invalidCountry'),
	/** A Swedish county, two digits ("14" for Västra Götaland). */
	county: z.string('invalidCounty').regex(/^\d{2}$/, 'invalidCounty'),
	/** A database id, 1 to 9 digits without a leading zero. */
	id: wholeNumber(1, 999_999_999, 'invalidId'),
	/** An address part: lowercase letters, digits and single hyphens. */
	slug: z
		.string('invalidSlug')
		.max(120, 'tooLong')
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'invalidSlug'),
	/** An email address, trimmed and lower-cased (addresses are compared that way). */
	email: z
		.string('invalidEmail')
		.transform((v) => v.trim().toLowerCase())
		.pipe(z.email('invalidEmail').max(254, 'invalidEmail')),
	/** `format` of the list endpoints. */
	format: z
		.string('invalidFormat')
		.transform((v) => v.toLowerCase())
		.pipe(z.enum(['json', 'csv'], 'invalidFormat')),
	/** A list of several values (a multiple select, checkboxes): each checked by `item`. */
	list: <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, 'tooLong'),
	/** A file from a form. */
	file: z.instanceof(File, { message: 'fileMissing' }),
	/** A parameter that counts by being there at all (`?required`): true or false. */
	present: z.boolean(),
	/** A checkbox: sent as "yes" when ticked, absent when not. */
	tick: z.literal('yes', 'invalidChoice').optional()
};

/** The language an API answers its errors in: the one asked for if it is one, else Swedish. */
export function answerLanguage(params: URLSearchParams): Locale {
	const asked = fields.lang.safeParse(params.get('lang'));
	return asked.success ? asked.data : defaultLocale;
}

// ---------------------------------------------------------------------------------------------
// The reader

export type Shape = Record<string, z.ZodType>;
export type Input<S extends Shape> = z.output<z.ZodObject<S>>;

const isList = (schema: z.ZodType): boolean => {
	let s: z.ZodType = schema;
	// Look through optional/default/pipe wrappers to the schema that takes the raw value.
	for (let i = 0; i < 5; i++) {
		const def = (s as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
		if (def.type === 'array') return true;
		const inner = def.innerType ?? def.in;
		if (!inner) return false;
		s = inner;
	}
	return false;
};

const identifier = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The problems a failed parse names: one per field, the first issue of each. */
export function problemsOf<S extends Scope>(error: z.ZodError): FieldProblem<S>[] {
	const problems: FieldProblem<S>[] = [];
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? '');
		if (problems.some((p) => p.field === field)) continue;
		const code = identifier.test(issue.message) ? issue.message : fallbackCode;
		problems.push({ field, code: code as FieldProblem<S>['code'] });
	}
	return problems;
}

/**
 * A shape's object schema, made once per shape: Zod compiles an object schema's parser on its
 * first use, and a schema made for every request was compiled for every request (a fifth of the
 * time of reading a query string).
 */
const objectOf = (shape: Shape): z.ZodObject<Shape> => {
	let object = objects.get(shape);
	if (!object) objects.set(shape, (object = z.object(shape)));
	return object;
};
const objects = new WeakMap<Shape, z.ZodObject<Shape>>();

/** Parses values with a shape, or throws a ValidationError naming each bad field. */
export function parseInput<S extends Shape>(shape: S, raw: Record<string, unknown>, scope?: Scope): Input<S> {
	const parsed = objectOf(shape).safeParse(raw);
	if (!parsed.success) throw new ValidationError(problemsOf(parsed.error), scope);
	return parsed.data as Input<S>;
}

/** The raw values of a query string for a shape (trimmed, empty as absent), and repetitions. */
function queryValues(params: URLSearchParams, shape: Shape) {
	const raw: Record<string, unknown> = {};
	const repeated: FieldProblem[] = [];
	for (const [name, schema] of Object.entries(shape)) {
		if (schema === fields.present) {
			raw[name] = params.has(name);
			continue;
		}
		const values = params
			.getAll(name)
			.map((v) => withoutControls(v).trim())
			.filter((v) => v !== '');
		if (isList(schema)) raw[name] = values;
		else if (values.length > 1) repeated.push({ field: name, code: 'repeated' });
		else if (values.length) raw[name] = values[0];
	}
	return { raw, repeated };
}

/** Reads a query string. Unknown parameters are ignored; each bad or repeated one is named. */
export function readQuery<S extends Shape>(params: URLSearchParams, shape: S, scope?: Scope): Input<S> {
	const { raw, repeated } = queryValues(params, shape);
	const parsed = objectOf(shape).safeParse(raw);
	const problems = [...repeated, ...(parsed.success ? [] : problemsOf(parsed.error))];
	const unique = problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);
	if (unique.length || !parsed.success) throw new ValidationError(unique, scope);
	return parsed.data as Input<S>;
}

/** A file as sent, its name without control characters (the name is stored and shown). */
function withCleanName(file: File): File {
	const name = withoutControls(file.name);
	return name === file.name
		? file
		: new File([file], name, { type: file.type, lastModified: file.lastModified });
}

/** What a form sent for a shape, as typed: strings (lists for list fields), files, or absent. */
export function formValues(form: FormData, shape: Shape): Record<string, unknown> {
	const raw: Record<string, unknown> = {};
	for (const [name, schema] of Object.entries(shape)) {
		const values = form.getAll(name);
		if (isList(schema)) {
			raw[name] = values.filter((v) => typeof v === 'string').map(withoutControls);
		} else {
			const value = values[0];
			if (value instanceof File) raw[name] = value.size > 0 ? withCleanName(value) : undefined;
			else if (typeof value === 'string' && value !== '') raw[name] = withoutControls(value);
		}
	}
	return raw;
}

/** Reads a form (FormData, or the values `formValues` took from one). */
export function readForm<S extends Shape>(
	form: FormData | Record<string, unknown>,
	shape: S,
	scope?: Scope
): Input<S> {
	return parseInput(shape, form instanceof FormData ? formValues(form, shape) : form, scope);
}

/**
 * What was typed into a form, to show it again when saving fails: every text field as sent
 * (lists as lists), never a password or a file.
 */
export function typedValues(form: FormData): Record<string, string | string[]> {
	const typed: Record<string, string | string[]> = {};
	for (const name of new Set(form.keys())) {
		if (/password|token|secret|code/i.test(name)) continue;
		const values = form
			.getAll(name)
			.filter((v): v is string => typeof v === 'string')
			.map(withoutControls);
		if (!values.length) continue;
		typed[name] = values.length === 1 ? values[0]! : values;
	}
	return typed;
}

/**
 * The request's form, or null when its body could not be read (larger than the body limit, or
 * cut off on the way): the caller says what that means (an upload is then too large). A body that
 * is not a form (a multipart body without its boundary, cut short or empty; another content type)
 * is answered here with a 400 and a message, in the language of the address.
 */
export async function requestForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (e) {
		// The body's own stream fails with the adapter's error (413, or the connection's); parsing
		// what arrived fails with a TypeError.
		if (!(e instanceof TypeError)) return null;
		const [locale] = splitLocale(new URL(request.url).pathname);
		error(400, messages(locale).errors.unreadableForm);
	}
}

/** Reads one route parameter that no matcher checks (the API's answers say what is wrong). */
export function readParam<T extends z.ZodType>(
	value: string,
	schema: T,
	field: string,
	scope?: Scope
): z.output<T> {
	return parseInput({ [field]: schema }, { [field]: withoutControls(value) }, scope)[field] as z.output<T>;
}
