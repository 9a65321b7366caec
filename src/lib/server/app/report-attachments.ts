import type { Database } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readForm } from '../kernel/input.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import {
	discardUpload,
	prepareUpload,
	recordUpload,
	removeFromLibrary,
	removeStoredFiles,
	type PreparedUpload
} from '../media/commands.ts';
import type { ServedFile } from '../media/queries.ts';
import type { MediaStore } from '../media/store.ts';
import { resultsPolicy } from '../results/policy.ts';
import {
	attachForm,
	attachmentAccess,
	attachToReport,
	detachFromReport,
	reportOpenForAttachments
} from '../results/reports/attachments.ts';
import { servedMedia } from './proposal-photos.ts';

// A yearly report's attachments: the library keeps the file, the report the attachment, and both
// change in one transaction. As with a partnership's own documents, the file is checked and
// stored first, outside the transaction (decoding an image or writing to a bucket takes a while);
// the library row and the attachment are then one transaction, and the file goes again if that
// fails. A removed attachment leaves the library in the removal's transaction and its file once
// that has committed: it was only ever this report's.

type Raw = FormData | Record<string, unknown>;

/**
 * One of the report's writers adds a file (a PDF, or a JPEG, PNG or WebP image, at most as large
 * as any upload) with its title, while the report is a draft or returned. The title is kept in
 * the language it was written in (`locale`, the page's). It is a change of its own, never part of
 * a caller's transaction: a caller's later failure would leave the stored file behind.
 */
export async function attachToYearlyReport(
	db: Database,
	store: MediaStore,
	actor: Actor,
	slug: string,
	year: number,
	raw: Raw | null,
	locale: string
): Promise<void> {
	authorize(actor, resultsPolicy.workOnReport);
	// Asked before the form is read or any file written; asked again under the transaction.
	await reportOpenForAttachments(db, actor, slug, year);
	// A body too large to read is a file too large: the file is the big part.
	if (!raw) throw new ValidationError([{ field: 'file', code: 'fileTooLarge' }], 'media');
	const input = readForm(raw, attachForm, 'results');
	const title = { [locale]: input.attachmentTitle };
	// An image's title is its alt text too; the attachment keeps the title for either kind.
	const upload: PreparedUpload = await prepareUpload(store, {
		bytes: input.attachment,
		fileName: input.attachment.name,
		alt: title,
		origin: 'report'
	});
	try {
		await runCommand(db, actor, {
			rule: resultsPolicy.workOnReport,
			parse: () => upload,
			work: async (tx, upload, who) => {
				const stored = await recordUpload(tx, store, who, upload);
				await attachToReport(tx, who, slug, year, { mediaId: stored.id, title });
				// Both modules' commands write their own audit rows in this transaction.
				return { result: undefined, audit: [], public: false };
			}
		});
	} catch (error) {
		// The row went with the transaction, so must the file.
		await discardUpload(store, upload);
		throw error;
	}
}

/** One of the report's writers removes an attachment: off the report and out of the library. */
export async function removeYearlyReportAttachment(
	db: Database,
	store: MediaStore,
	actor: Actor,
	slug: string,
	year: number,
	raw: Raw
): Promise<void> {
	authorize(actor, resultsPolicy.workOnReport);
	const gone = await runCommand(db, actor, {
		rule: resultsPolicy.workOnReport,
		parse: () => raw,
		work: async (tx, raw, who) => {
			const mediaId = await detachFromReport(tx, who, slug, year, raw);
			return { result: await removeFromLibrary(tx, who, mediaId), audit: [], public: false };
		}
	});
	await removeStoredFiles(store, gone);
}

/**
 * How a report's attachment may be kept: while its report is approved, by anyone, but asked for
 * again on every use (a reopened report is private again); while it is not, nowhere.
 */
const caching = { public: 'public, no-cache', allowed: 'private, no-store' } as const;

/**
 * A file as `/media/<key>/<file>` serves it (see app/proposal-photos.ts), with a report's
 * attachment served only as its report allows: null (a 404) for those who may not read the report,
 * and for an attachment whose report is gone.
 */
export async function servedFile(
	db: Database,
	key: string,
	file: string,
	viewer: () => Promise<Actor>
): Promise<(ServedFile & { cacheControl: string }) | null> {
	const served = await servedMedia(db, key, file, viewer);
	if (!served || served.origin !== 'report') return served;
	const access = await attachmentAccess(db, served.mediaId, viewer);
	if (access === 'refused' || access === 'none') return null;
	return { ...served, cacheControl: caching[access] };
}
