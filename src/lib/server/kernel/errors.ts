import type { Messages } from '#lib/i18n/index.ts';

/**
 * Errors a command or query throws; routes turn them into responses with one helper each
 * (kernel/http.ts: pages, form actions, the API), so no route invents its own status codes.
 */
export class NotFoundError extends Error {
	constructor(what: string) {
		super(`${what} not found`);
		this.name = 'NotFoundError';
	}
}

/** The actor may not do this; `signInRequired` when nobody is signed in (a 401 rather than a 403). */
export class ForbiddenError extends Error {
	readonly signInRequired: boolean;
	constructor(signInRequired = false) {
		super(signInRequired ? 'Sign-in required' : 'Forbidden');
		this.name = 'ForbiddenError';
		this.signInRequired = signInRequired;
	}
}

/** A module's key in the message catalogue: its texts, error codes and field names live under it. */
export type Scope = {
	[K in keyof Messages]: Messages[K] extends { errors: object; fields: object } ? K : never;
}[keyof Messages];

/** An error code everyone shares (`errors.<code>` at the catalogue's top level). */
export type CommonCode = keyof Messages['errors'];

/** An error code of a module (`<scope>.errors.<code>`) or a shared one. */
export type ErrorCode<S extends Scope = never> = CommonCode | ModuleCode<S>;
type ModuleCode<S> = S extends Scope ? keyof Messages[S]['errors'] : never;

/** A problem with one input field; `code` names its message in the catalogue. */
export interface FieldProblem<S extends Scope = never> {
	field: string;
	code: ErrorCode<S>;
	/** Values for the message's `{placeholders}` (an image's size and the limit it is over). */
	params?: Record<string, string | number>;
	/** The field's label when it has no fixed name (a survey's question: its own text). */
	label?: string;
}

/** Bad input: one problem per field, shown at the field and in the form's summary. */
export class ValidationError<S extends Scope = Scope> extends Error {
	readonly problems: FieldProblem<S>[];
	/** Whose messages the codes and field names are looked up in (then the shared ones). */
	readonly scope: S | undefined;
	constructor(problems: readonly FieldProblem<NoInfer<S>>[], scope?: S) {
		problems = [...problems];
		super(problems.map((p) => `${p.field}: ${String(p.code)}`).join(', '));
		this.problems = problems as FieldProblem<S>[];
		this.scope = scope;
		this.name = 'ValidationError';
	}
}
