import { z } from 'zod';
import { ValidationError } from '../../kernel/errors.ts';
import { fields, line } from '../../kernel/input.ts';

/**
 * What people send in a partnership's own space: invitations, its members' roles and its
 * documents. Ids come from hidden fields and pickers, so a bad one is a tampered form.
 */

/**
 * A user's id as better-auth makes it (32 letters and digits; tests use UUIDs).
 */
const userId = z.string('unknownUser').regex(/^[A-Za-z0-9_-]{1,64}$/, 'unknownUser');

/** A file of the media library. */
const mediaId = z
	.string('unknownMedia')
	.refine((v) => fields.id.safeParse(v).success, 'unknownMedia')
	.transform(Number);

/** A document's heading on the partnership's page, per language (the file's name if none). */
const title = { title_sv: line(200).optional(), title_en: line(200).optional() };

/**
 * What a mail program could turn into a link: a scheme, "www.", an e-mail address, or a dot between
 * two letters or digits (a host name such as evil.example; full-width and ideographic dots too).
 */
const linkLike = /:\/\/|www\.|@|[\p{L}\p{N}][.\u3002\uFF0E\uFF61][\p{L}\p{N}]/iu;

/**
 * Invisible characters that hide or reorder text (zero-width, bidi overrides) and controls the
 * kernel's reader leaves (it turns C0 controls into spaces).
 */
const hidden = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * A name someone else types for a person: it greets them in a mail, so it is plain words that
 * cannot carry a link ("Hej Klicka här: https://evil.example/login" is refused with a message
 * rather than cleaned, so that the inviter sees what happened).
 */
export const personName = line(120).refine(
	(name) => !linkLike.test(name) && !hidden.test(name),
	'plainNameOnly'
);

/**
 * A name from an address, for an invitation without one: its letters and digits only, so it is
 * plain words too ("per.olof_berg@kommun.se" → "per olof berg").
 */
export function nameFromAddress(email: string): string {
	const words = email
		.split('@')[0]!
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
	return words.slice(0, 120) || email.split('@')[0]!.slice(0, 120);
}

/** Invite someone by address: an account is made for a new one. */
export const invitationForm = { email: fields.email, name: personName.optional() };

/** Someone in the space: make them coordinator, or take them out. */
export const spaceMemberForm = { user: userId };

/** Attach a PDF of the library. */
export const attachDocumentForm = { media: mediaId, ...title };

/** Take a document off the page (it stays in the library). */
export const detachDocumentForm = { media: mediaId };

/** Upload a PDF of the partnership's own. */
export const uploadDocumentForm = { file: fields.file, ...title };

/**
 * The titles a form gave, as stored: both languages, empty where none was given (the page then
 * shows the file's name rather than the other language's title).
 */
export function documentTitle(input: { title_sv?: string; title_en?: string }): { sv: string; en: string } {
	return { sv: input.title_sv ?? '', en: input.title_en ?? '' };
}

/**
 * The bytes of an uploaded file that must be a PDF: a partnership's documents are reports, plans
 * and agreements (the media library itself checks the file again).
 */
export async function pdfBytes(file: File): Promise<Uint8Array> {
	const bytes = new Uint8Array(await file.arrayBuffer());
	if (new TextDecoder().decode(bytes.subarray(0, 5)) !== '%PDF-') {
		throw new ValidationError([{ field: 'file', code: 'fileType' }], 'partnerships');
	}
	return bytes;
}
