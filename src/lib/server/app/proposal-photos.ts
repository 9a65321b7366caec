import type { Database, Transaction } from '../kernel/database.ts';
import { ValidationError, type ErrorCode, type FieldProblem } from '../kernel/errors.ts';
import type { Actor } from '../kernel/policy.ts';
import {
	discardUpload,
	prepareUpload,
	recordUpload,
	removeFromLibrary,
	removeStoredFiles,
	type PreparedUpload
} from '../media/commands.ts';
import { maxUploadBytes } from '../media/process.ts';
import type { TextOnly } from '../media/admission.ts';
import { proposalFormValues } from '../dialogue/proposals/input.ts';
import { findServedFile, type ServedFile } from '../media/queries.ts';
import { proposalPhotoAccess, type PhotoAccess } from '../dialogue/proposals/photo-access.ts';
import { reportPhotoAccess } from '../dialogue/map-reports/photo-access.ts';
import type { MediaStore } from '../media/store.ts';
import {
	editProposal,
	submitProposal,
	type PhotoPipeline,
	type SubmitResult
} from '../dialogue/proposals/commands.ts';

// A participant's proposal with a photo: the photo goes through the media pipeline (checked by its
// bytes, decoded within MEDIA_MAX_MEGAPIXELS, re-encoded to WebP in responsive widths without any
// metadata, its alt text in the proposal's language) and its files into the store BEFORE the
// proposal's transaction, so a slow decode holds no transaction and no pooled connection. In the
// transaction only the library's row and the proposal's are written: a refused photo leaves no
// proposal, a refused proposal leaves no photo (its files are removed again). A photo the author
// replaces or removes leaves the library with the edit (its row in the edit's transaction, its
// files once that has committed): it was only ever this proposal's.

type Raw = FormData | Record<string, unknown>;

/** The media pipeline's problems as the proposal form says them, at its own fields. */
const photoCodes: Record<string, { field: string; code: ErrorCode<'dialogue'> }> = {
	fileMissing: { field: 'proposalPhoto', code: 'proposalPhotoType' },
	fileTooLarge: { field: 'proposalPhoto', code: 'proposalPhotoTooLarge' },
	fileType: { field: 'proposalPhoto', code: 'proposalPhotoType' },
	imageTooLarge: { field: 'proposalPhoto', code: 'proposalPhotoPixels' },
	fileUnreadable: { field: 'proposalPhoto', code: 'proposalPhotoUnreadable' },
	altRequired: { field: 'proposalPhotoAlt', code: 'proposalPhotoAltRequired' },
	tooLong: { field: 'proposalPhotoAlt', code: 'proposalPhotoAltTooLong' },
	uploadsBusy: { field: 'proposalPhoto', code: 'proposalPhotoBusy' }
};

const photoProblem = (code: ErrorCode<'dialogue'>, field = 'proposalPhoto') =>
	new ValidationError<'dialogue'>([{ field, code }], 'dialogue');

/** A media error in the proposal form's words; anything else as it was. */
export function asPhotoProblem(error: unknown): unknown {
	if (!(error instanceof ValidationError) || error.scope !== 'media') return error;
	const problems: FieldProblem<'dialogue'>[] = error.problems.map((p) => {
		const known = photoCodes[String(p.code)] ?? { field: 'proposalPhoto', code: 'proposalPhotoUnreadable' };
		return { ...known, ...(p.params ? { params: p.params } : {}) };
	});
	return new ValidationError(problems, 'dialogue');
}

/** What a busy upload queue answers on the proposal form (with the text read past the photo). */
export const photosBusy = () => photoProblem('proposalPhotoBusy');

/**
 * What a form body over the server's limit answers on the proposal form: nothing of it can be
 * read, its text included, and the message says so. With JavaScript the page checks the photo's
 * size before sending, so only a browser without it gets here.
 */
export const photoTooLarge = () => photoProblem('proposalPhotoTooLargeUnread');

/** What was typed into a proposal form read without its photo (a busy queue), to show it again. */
export function typedWithoutPhoto(sent: TextOnly): ReturnType<typeof proposalFormValues> {
	return { ...proposalFormValues(sent.form), photoSent: sent.files.has('proposalPhoto') };
}

/** The media pipeline for one command: what it stored and what it took away. */
function pipeline(store: MediaStore, origin: 'proposal' | 'map-report') {
	const prepared: PreparedUpload[] = [];
	const removed: string[] = [];
	const photos: PhotoPipeline = {
		async prepare(who, { file, alt, language }) {
			if (file.size > maxUploadBytes) throw photoProblem('proposalPhotoTooLarge');
			// A PDF (which the library takes from staff) is no photo; the bytes decide, not the name.
			const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
			if (Buffer.from(head).toString('latin1') === '%PDF-') throw photoProblem('proposalPhotoType');
			let upload: PreparedUpload;
			try {
				upload = await prepareUpload(store, {
					bytes: file,
					fileName: file.name,
					alt: { [language]: alt },
					origin
				});
			} catch (error) {
				throw asPhotoProblem(error);
			}
			prepared.push(upload);
			// Only images pass the check above; should another kind ever get through, it is refused.
			if (upload.values.kind !== 'image') throw photoProblem('proposalPhotoType');
			return async (tx: Transaction) => (await recordUpload(tx, store, who, upload)).id;
		},
		async remove(tx, who, mediaId) {
			removed.push(...(await removeFromLibrary(tx, who, mediaId)));
		}
	};
	return { photos, prepared, removed };
}

/**
 * Runs a proposal's (or a report's) command with the pipeline. If it fails, the files it stored go
 * (their row went with the transaction, or was never written); if it succeeds, the files of a photo
 * it took away go.
 */
export async function withPhotos<T>(
	store: MediaStore,
	run: (photos: PhotoPipeline) => Promise<T>,
	origin: 'proposal' | 'map-report' = 'proposal'
): Promise<T> {
	const { photos, prepared, removed } = pipeline(store, origin);
	let result: T;
	try {
		result = await run(photos);
	} catch (error) {
		for (const upload of prepared) await discardUpload(store, upload);
		throw error;
	}
	await removeStoredFiles(store, removed);
	return result;
}

/**
 * A participant writes a proposal, with an optional photo and its alt text (see
 * `submitProposal`: the similar step saves nothing, the photo included).
 */
export function submitProposalWithPhoto(
	db: Database,
	store: MediaStore,
	actor: Actor,
	slug: string,
	form: Raw,
	options: { ip?: string | null; locale: string }
): Promise<SubmitResult> {
	return withPhotos(store, (photos) => submitProposal(db, actor, slug, form, { ...options, photos }));
}

/** The author's edit within the window: a new photo replaces the old one, or the old one goes. */
export function editProposalWithPhoto(
	db: Database,
	store: MediaStore,
	actor: Actor,
	slug: string,
	id: number,
	form: Raw,
	options: { ip?: string | null } = {}
): Promise<void> {
	return withPhotos(store, (photos) => editProposal(db, actor, slug, id, form, { ...options, photos }));
}

/**
 * How a file may be kept, by who may see it. The library's own files never change under their
 * key: a year, without asking. A proposal's photo may be hidden by a moderator at any time, so
 * caches keep it only if they ask again on every use (a 304 while it stays public, a 404 once it
 * is not); one only some may see is kept nowhere.
 */
const caching: Record<Exclude<PhotoAccess, 'refused'>, string> = {
	none: 'public, max-age=31536000, immutable',
	public: 'public, no-cache',
	allowed: 'private, no-store'
};

/**
 * A file of the library as `/media/<key>/<file>` serves it, with its Cache-Control; null when
 * there is none, or when it is the photo of a proposal the viewer may not see (not yet public,
 * refused or hidden). The viewer is read only for such a photo.
 */
export async function servedMedia(
	db: Database,
	key: string,
	file: string,
	viewer: () => Promise<Actor>
): Promise<(ServedFile & { cacheControl: string }) | null> {
	const served = await findServedFile(db, key, file);
	if (!served) return null;
	const access =
		served.origin === 'map-report'
			? await reportPhotoAccess(db, served.mediaId, viewer)
			: await proposalPhotoAccess(db, served.mediaId, viewer);
	// A participant's photo whose proposal or report is gone (its space deleted) is nobody's to see.
	if (
		access === 'refused' ||
		(access === 'none' && served.origin !== 'library' && served.origin !== 'report')
	)
		return null;
	return { ...served, cacheControl: caching[access] };
}
