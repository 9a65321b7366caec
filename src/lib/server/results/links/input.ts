import { z } from 'zod';
import { fields } from '../../kernel/input.ts';
import { resultStatuses } from '../schema.ts';

/**
 * A proposal as a coordinator gives it: its number ("42", "#42") or its address, as copied from the
 * browser (…/dialogue/<space>/proposals/42, in either language, with or without the site).
 */
export const proposalReference = z
	.string('proposalMissing')
	.trim()
	.min(1, 'proposalMissing')
	.max(500, 'proposalUnknown')
	.transform((v, ctx) => {
		const number =
			/^#?(\d{1,9})$/.exec(v) ?? /\/dialogue\/[a-z0-9-]+\/proposals\/(\d{1,9})(?:[/?#]|$)/.exec(v);
		if (!number) {
			ctx.addIssue({ code: 'custom', message: 'proposalUnknown' });
			return z.NEVER;
		}
		return Number(number[1]);
	});

export const linkForm = { result: fields.id, proposal: proposalReference };
export const unlinkForm = { result: fields.id, proposal: fields.id };
export const statusForm = { result: fields.id, status: z.enum(resultStatuses, 'unknownStatus') };
