import { z } from 'zod';
import { fields, line, readForm, readQuery, requiredLine } from '../../kernel/input.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { flagReasons, type FlagReason } from '../schema.ts';

// Flags from participants and the moderators' decisions. A flagged or moderated thing is a
// proposal (`proposal=<id>`) or a comment (`comment=<id>`): exactly one of the two.

/** A moderator's public reason (hiding, restoring, refusing) or a block's reason. */
export const reasonMax = 500;

export type Target = { kind: 'proposal'; id: number } | { kind: 'comment'; id: number };

const targetFields = { proposal: fields.id.optional(), comment: fields.id.optional() };

function targetOf(read: { proposal?: number; comment?: number }): Target {
	if ((read.proposal === undefined) === (read.comment === undefined))
		throw new ValidationError([{ field: 'form', code: 'flagTargetMissing' }], 'dialogue');
	return read.proposal !== undefined
		? { kind: 'proposal', id: read.proposal }
		: { kind: 'comment', id: read.comment! };
}

/** The flag page's address: `?proposal=<id>` or `?comment=<id>`. */
export function readFlagQuery(params: URLSearchParams): Target {
	return targetOf(readQuery(params, targetFields, 'dialogue'));
}

/** A participant's flag: the thing and a reason from the list. */
export function readFlagForm(form: FormData | Record<string, unknown>): {
	target: Target;
	reason: FlagReason;
} {
	const read = readForm(
		form,
		{ ...targetFields, reason: z.enum(flagReasons, 'invalidFlagReason') },
		'dialogue'
	);
	return { target: targetOf(read), reason: read.reason };
}

/** A moderator hides or restores a thing, with the reason the public sees. */
export function readDecisionForm(form: FormData | Record<string, unknown>): {
	target: Target;
	reason: string;
} {
	const read = readForm(
		form,
		{ ...targetFields, reason: requiredLine(reasonMax, 'reasonTooLong') },
		'dialogue'
	);
	return { target: targetOf(read), reason: read.reason };
}

/** A moderator blocks the author of a thing (they never need to see who it is), with a reason. */
export function readBlockForm(form: FormData | Record<string, unknown>): { target: Target; reason: string } {
	return readDecisionForm(form);
}

/** Lifting a block. */
export const unblockShape = { block: fields.id };

/**
 * Publishing a proposal in screening or approving a held comment (no reason needed), or refusing
 * either with the reason its author sees.
 */
export function readScreeningForm(
	form: FormData | Record<string, unknown>,
	refuse: boolean
): { target: Target; reason: string | null } {
	const read = readForm(
		form,
		{
			...targetFields,
			reason: refuse ? requiredLine(reasonMax, 'reasonTooLong') : line(reasonMax, 'reasonTooLong').optional()
		},
		'dialogue'
	);
	return { target: targetOf(read), reason: read.reason || null };
}
