import { ValidationError } from '../kernel/errors.ts';

/** A domain error's problems as "field:code", to compare with what a form would show. */
export async function problems(run: Promise<unknown>): Promise<string[]> {
	try {
		await run;
	} catch (e) {
		if (e instanceof ValidationError) return e.problems.map((p) => `${p.field}:${String(p.code)}`);
		throw e;
	}
	throw new Error('expected a ValidationError');
}
