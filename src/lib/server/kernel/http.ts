import { databaseUnavailable } from './database.ts';
import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { format, messages, type Locale } from '#lib/i18n/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';

/** A problem as the page shows it: the field's name (for the link to it) and a sentence. */
export interface ShownProblem {
	field: string;
	message: string;
}

type Texts = Record<string, string>;

/**
 * Each problem in the reader's language: the field's label and the message for its code, looked up
 * under the module's key first (`partnerships.errors.invalidYear`), then among the shared ones.
 */
export function problemsIn(e: ValidationError, locale: Locale): ShownProblem[] {
	const m = messages(locale);
	const own = e.scope ? (m[e.scope] as { errors: Texts; fields: Texts }) : undefined;
	const errors = m.errors as Texts;
	const fields = m.fields as Texts;
	return e.problems.map((p) => {
		const code = String(p.code);
		// A row of a repeated group (`question-3`) is labelled as its kind with its number.
		const row = /^([a-zA-Z]+)-(\d+)$/.exec(p.field);
		const rowLabel = row ? (own?.fields[row[1]!] ?? fields[row[1]!]) : undefined;
		const label =
			p.label ?? own?.fields[p.field] ?? fields[p.field] ?? (rowLabel ? `${rowLabel} ${row![2]}` : p.field);
		// Numbers as the reader writes them: "12 000" in Swedish, "12,000" in English.
		const params = Object.fromEntries(
			Object.entries(p.params ?? {}).map(([k, v]) => [
				k,
				typeof v === 'number' ? v.toLocaleString(locale) : v
			])
		);
		const text = format(own?.errors[code] ?? errors[code] ?? code, params);
		return { field: p.field, message: `${label}: ${text}` };
	});
}

/**
 * Runs a page's domain call and turns domain errors into error pages: 400 with a message per
 * field, 404 for what does not exist. Anything else is unexpected and becomes a 500 with an id.
 */
export async function forPage<T>(locale: Locale, run: () => Promise<T> | T): Promise<T> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof ValidationError) {
			error(400, messages(locale).errors.badRequest, { problems: problemsIn(e, locale) });
		}
		if (e instanceof NotFoundError) error(404, messages(locale).errors.notFound);
		if (e instanceof ForbiddenError) {
			error(
				e.signInRequired ? 401 : 403,
				e.signInRequired ? messages(locale).admin.signInRequired : messages(locale).admin.forbidden
			);
		}
		throw e;
	}
}

/** The same for the JSON API: `{ "error": { "message", "field" } }` with 400, 401, 403 or 404. */
export async function forApi(locale: Locale, run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof ValidationError) {
			const problems = problemsIn(e, locale);
			return Response.json(
				{ error: { message: problems[0]!.message, field: problems[0]!.field, problems } },
				{ status: 400 }
			);
		}
		if (e instanceof NotFoundError) {
			return Response.json(
				{ error: { message: messages(locale).errors.notFound, field: null } },
				{ status: 404 }
			);
		}
		if (databaseUnavailable(e)) {
			return Response.json(
				{ error: { message: messages(locale).errors.unavailable, field: null } },
				{ status: 503, headers: { 'retry-after': String(retryAfterSeconds) } }
			);
		}
		if (e instanceof ForbiddenError) {
			const m = messages(locale).admin;
			return Response.json(
				{ error: { message: e.signInRequired ? m.signInRequired : m.forbidden, field: null } },
				{ status: e.signInRequired ? 401 : 403 }
			);
		}
		throw e;
	}
}

/**
 * Runs a form action's domain call. A validation problem becomes a 400 that carries what was
 * typed (`values`) and a message per field, so the form is shown again, filled in; forbidden and
 * not found become error pages as in `forPage`.
 */
export async function forAction<T, V extends Record<string, unknown>>(
	locale: Locale,
	values: V,
	run: () => Promise<T>
): Promise<T | ActionFailure<V & { problems: { field: string; message: string }[] }>> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof ValidationError) return fail(400, { ...values, problems: problemsIn(e, locale) });
		return forPage(locale, () => {
			throw e;
		});
	}
}

/** How long a client is asked to wait when the database is unavailable. */
export const retryAfterSeconds = 5;
