import { z } from 'zod';
import { locales } from '#lib/i18n/locales.ts';
import { ValidationError, type FieldProblem, type ErrorCode } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/localized.ts';
import { mediaKinds, type MediaKind } from './schema.ts';

/** Long enough to describe a picture; a longer description belongs in the text or a caption. */
export const maxAltLength = 300;

/** The uploader's file name as the browser sends it (only a cleaned-up copy is kept). */
const originalName = z.string().max(1000);

/** One language's alt text: trimmed; empty means none. */
const altOne = z
	.string()
	.max(maxAltLength * 4)
	.transform((s) => s.replace(/\s+/g, ' ').trim())
	.pipe(z.string().max(maxAltLength));

/** Alt text per interface language: empty ones are left out. */
export const altSchema = z
	.partialRecord(z.enum(locales), altOne.optional())
	.transform((alt): LocalizedText => Object.fromEntries(Object.entries(alt).filter(([, text]) => text)));

export const uploadSchema = z.object({
	fileName: originalName,
	alt: altSchema
});

export const altTextSchema = z.object({
	id: z.coerce.number().int().positive().max(2_147_483_647),
	alt: altSchema
});

export const mediaIdSchema = z.coerce.number().int().positive().max(2_147_483_647);

export const listQuerySchema = z.object({
	page: z.coerce.number().int().min(1).max(1000).default(1),
	kind: z.enum(mediaKinds).optional()
});

/** Which field and message a Zod issue stands for. */
function problemsOf(error: z.ZodError, codes: Record<string, ErrorCode<'media'>>): FieldProblem<'media'>[] {
	const seen = new Set<string>();
	const problems: FieldProblem<'media'>[] = [];
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? '');
		if (seen.has(field)) continue;
		seen.add(field);
		problems.push({ field, code: codes[field] ?? 'required' });
	}
	return problems;
}

/** Parses with the schema or throws a ValidationError with one message per field. */
export function parseOrThrow<S extends z.ZodType>(
	schema: S,
	input: unknown,
	codes: Record<string, ErrorCode<'media'>>
): z.output<S> {
	const parsed = schema.safeParse(input);
	if (!parsed.success) throw new ValidationError(problemsOf(parsed.error, codes), 'media');
	return parsed.data;
}

/** The query of the library page (?page=2&kind=image); a bad one is a 400 with a message. */
export function parseListQuery(params: URLSearchParams): { page: number; kind?: MediaKind } {
	const problems: FieldProblem<'media'>[] = [];
	for (const name of ['page', 'kind']) {
		if (params.getAll(name).length > 1) problems.push({ field: name, code: 'repeated' });
	}
	if (problems.length) throw new ValidationError(problems, 'media');
	return parseOrThrow(
		listQuerySchema,
		{ page: params.get('page') || undefined, kind: params.get('kind') || undefined },
		{ page: 'invalidPage', kind: 'invalidKind' }
	);
}
