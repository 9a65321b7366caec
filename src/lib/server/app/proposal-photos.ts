import type { Database } from '../kernel/database.ts';
import { ValidationError, type ErrorCode, type FieldProblem } from '../kernel/errors.ts';
import type { Actor } from '../kernel/policy.ts';
import { addToLibrary, discardStoredFiles } from '../media/commands.ts';
import { maxUploadBytes } from '../media/process.ts';
import type { MediaItem } from '../media/queries.ts';
import type { MediaStore } from '../media/store.ts';
import {
	editProposal,
	submitProposal,
	type PhotoAttacher,
	type SubmitResult
} from '../dialogue/proposals/commands.ts';

// A participant's proposal with a photo: the photo goes through the media pipeline (checked by its
// bytes, decoded within MEDIA_MAX_MEGAPIXELS, re-encoded to WebP in responsive widths without any
// metadata, its alt text in the proposal's language) and into the library, and the proposal names
// it, in one transaction: a refused photo leaves no proposal, a refused proposal leaves no photo.

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

/** What a busy upload queue answers on the proposal form. */
export const photosBusy = () => photoProblem('proposalPhotoBusy');

/** What a form body too large to read answers on the proposal form (its text is lost with it). */
export const photoTooLarge = () => photoProblem('proposalPhotoTooLarge');

/**
 * The pipeline for one proposal's photo: into the library in the caller's transaction. A PDF
 * (which the library takes from staff) is no photo; the bytes decide, not the name.
 */
function attacher(store: MediaStore, stored: MediaItem[]): PhotoAttacher {
	return async (tx, who, { file, alt, language }) => {
		if (file.size > maxUploadBytes) throw photoProblem('proposalPhotoTooLarge');
		const bytes = new Uint8Array(await file.arrayBuffer());
		if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-') {
			throw photoProblem('proposalPhotoType');
		}
		let item: MediaItem;
		try {
			item = await addToLibrary(tx, store, who, { bytes, fileName: file.name, alt: { [language]: alt } });
		} catch (error) {
			throw asPhotoProblem(error);
		}
		stored.push(item);
		// Only images pass the check above; should another kind ever get through, it is refused.
		if (item.kind !== 'image') throw photoProblem('proposalPhotoType');
		return item.id;
	};
}

/** Runs a proposal command with the pipeline; if it fails, the files written go with its rows. */
async function withPhoto<T>(store: MediaStore, run: (attach: PhotoAttacher) => Promise<T>): Promise<T> {
	const stored: MediaItem[] = [];
	try {
		return await run(attacher(store, stored));
	} catch (error) {
		// The library writes its files before its row: the row went with the transaction, so do they.
		for (const item of stored) await discardStoredFiles(store, item);
		throw error;
	}
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
	return withPhoto(store, (attachPhoto) =>
		submitProposal(db, actor, slug, form, { ...options, attachPhoto })
	);
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
	return withPhoto(store, (attachPhoto) =>
		editProposal(db, actor, slug, id, form, { ...options, attachPhoto })
	);
}
