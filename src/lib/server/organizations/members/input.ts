import { z } from 'zod';
import { fields, line, paragraphs, requiredLine } from '../../kernel/input.ts';

/**
 * What people send about who works for an organization: a request for access, the editors'
 * decision, and an organization's administrators managing its members. Ids come from pickers
 * and hidden fields, so a bad one is a tampered form.
 */

const organizationId = z
	.string('unknownOrganization')
	.refine((v) => fields.id.safeParse(v).success, 'unknownOrganization')
	.transform(Number);

const requestId = z
	.string('unknownRequest')
	.refine((v) => fields.id.safeParse(v).success, 'unknownRequest')
	.transform(Number);

/** A user's id as better-auth makes it (tests use UUIDs). */
const userId = z.string('unknownUser').regex(/^[A-Za-z0-9_-]{1,64}$/, 'unknownUser');

const tick = fields.tick;

/**
 * Asking for access: an organization from the list, or (not in it yet) its name and country;
 * what the person does there, and anything the editors should know.
 */
export const accessRequestForm = {
	organization: organizationId.optional(),
	proposedName: line(160).optional(),
	proposedCountry: fields.country.optional(),
	position: requiredLine(160),
	message: paragraphs(2000).optional()
};

/** Approve: into the organization asked for, or the one editors chose for a new one. */
export const approveForm = { request: requestId, organization: organizationId.optional(), admin: tick };

/** Refuse, saying why (the person is mailed the reason). */
export const refuseForm = { request: requestId, reason: requiredLine(1000) };

/** One member of an organization: make administrator (or not), or take out. */
export const memberForm = { user: userId };
export const memberAdminForm = { user: userId, admin: tick };
