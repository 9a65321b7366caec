import { error, fail, type ActionFailure } from '@sveltejs/kit';
import { messages, type Locale } from '#lib/i18n/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from './errors.ts';

type ErrorMessages = ReturnType<typeof messages>['errors'];

function problemsIn(e: ValidationError, locale: Locale) {
	const m = messages(locale);
	return e.problems.map((p) => ({
		field: p.field,
		message: `${(m.fields as Record<string, string>)[p.field] ?? p.field}: ${(m.errors as ErrorMessages)[p.code]}`
	}));
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
