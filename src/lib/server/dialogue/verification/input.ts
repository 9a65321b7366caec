import { z } from 'zod';
import { fields } from '../../kernel/input.ts';
import { normalIdentifier, normalPostNumber } from './verifier.ts';

// The forms of resident verification: a participant's census check, a runner's upload, and the
// page's own query (the dialogue a participant came from).

/** What can go wrong with e-identification, named in the address the participant is sent back to. */
export const oidcProblems = [
	'verifyOidcFailed',
	'verifyOidcNoMunicipality',
	'verifyIdentityTaken',
	'verifyNotConfigured',
	'verifyTooMany'
] as const;
export type OidcProblem = (typeof oidcProblems)[number];

/** The verify page: which dialogue sent the participant here (its address part). */
export const verifyQueryShape = {
	space: fields.slug.optional(),
	/** Back from a verification that went through. */
	done: z.literal('1').optional(),
	/** Back from e-identification that did not (what the page then says). */
	problem: z.enum(oidcProblems).optional(),
	/** The page to go back to once verified (only a path on this site is followed). */
	to: z.string().optional()
};

/** A participant checks themselves against an organization's census list. */
export const censusVerifyShape = {
	organization: z
		.string('verifyOrganizationUnknown')
		.max(120, 'verifyOrganizationUnknown')
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'verifyOrganizationUnknown'),
	identifier: z.string('verifyIdentifierInvalid').transform((v, ctx) => {
		const id = normalIdentifier(v);
		if (!id) ctx.addIssue({ code: 'custom', message: 'verifyIdentifierInvalid' });
		return id ?? '';
	}),
	postNumber: z.string('verifyPostNumberInvalid').transform((v, ctx) => {
		const n = normalPostNumber(v);
		if (!n) ctx.addIssue({ code: 'custom', message: 'verifyPostNumberInvalid' });
		return n ?? '';
	})
};

/** The largest census file taken (the server takes bodies up to BODY_SIZE_LIMIT, 11 MB: about half a million residents). */
export const censusMaxMegabytes = 10;

/** A runner uploads the organization's census list. */
export const censusUploadShape = {
	censusFile: z.instanceof(File, { message: 'censusFileRequired' })
};
