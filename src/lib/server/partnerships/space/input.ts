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

/** Invite someone by address: an account is made for a new one. */
export const invitationForm = { email: fields.email, name: line(120).optional() };

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
