import type { Database, Transaction } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import type { ProposalInput } from './input.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { media } from '../../media/schema.ts';
import { returnAllowance, takeAllowance } from './limits.ts';

// A proposal's optional photo, as the proposal's commands see it: the media pipeline itself is
// another module's, so the app hands it in (app/proposal-photos.ts). The photo is checked, decoded
// and stored before the proposal's transaction (a slow decode must not hold one); in it, only the
// library's row is written, before the proposal's row that names it. Pages read it with the proposal.

/** A photo decoded and stored, waiting for its row: writes it in the transaction and gives its id. */
export type PreparedPhoto = (tx: Transaction) => Promise<number>;

/**
 * The media pipeline as the proposal's commands use it (composed in app/proposal-photos.ts).
 * `prepare` throws the form's ValidationError for a file the pipeline refuses; if the proposal's
 * transaction fails, the pipeline removes what it stored.
 */
export interface PhotoPipeline {
	/** Outside any transaction: the photo checked by its bytes, re-encoded and its files stored. */
	prepare(
		who: NonNullable<Actor>,
		photo: { file: File; alt: string; language: string }
	): Promise<PreparedPhoto>;
	/** In the proposal's transaction: a photo it no longer shows leaves the library (files after commit). */
	remove(tx: Transaction, who: NonNullable<Actor>, mediaId: number): Promise<void>;
}

const needsPipeline = () =>
	// A photo cannot be taken (or taken away) without it: never saved as if none had been chosen.
	new Error('A proposal photo needs the media pipeline (app/proposal-photos.ts)');

/** The photo the form sent, prepared by the pipeline before the transaction; null when none was chosen. */
export async function preparePhoto(
	who: NonNullable<Actor>,
	input: ProposalInput,
	language: string,
	photos: PhotoPipeline | undefined
): Promise<PreparedPhoto | null> {
	if (!input.proposalPhoto) return null;
	if (!photos) throw needsPipeline();
	return photos.prepare(who, { file: input.proposalPhoto, alt: input.proposalPhotoAlt ?? '', language });
}

/**
 * In the edit's transaction: the photo the proposal names from now on (the new one, none, or the
 * one it had), and the one it had out of the library when that is replaced or removed (it was only
 * ever this proposal's).
 */
export async function nextPhoto(
	tx: Transaction,
	who: NonNullable<Actor>,
	current: number | null,
	change: { prepared: PreparedPhoto | null; remove: boolean },
	photos: PhotoPipeline | undefined
): Promise<number | null> {
	const next = change.prepared ? await change.prepared(tx) : change.remove ? null : current;
	if (current !== null && next !== current) {
		if (!photos) throw needsPipeline();
		await photos.remove(tx, who, current);
	}
	return next;
}

/** Takes a photo's allowance when the form has one (the proposal's own is given back if refused). */
export async function takePhotoAllowance(
	db: Database,
	input: ProposalInput,
	userId: string,
	ip: string | null | undefined,
	alsoTaken?: 'proposals'
): Promise<void> {
	if (!input.proposalPhoto) return;
	try {
		await takeAllowance(db, 'photos', userId, ip);
	} catch (e) {
		if (alsoTaken) await returnAllowance(db, alsoTaken, userId, ip);
		throw e;
	}
}

/** A proposal's photo as pages show it: its responsive widths and alt text (in the proposal's language). */
export interface ProposalPhoto {
	storageKey: string;
	variants: number[];
	width: number;
	height: number;
	alt: string;
}

/** The photo's columns, read in the proposal's own query (a left join: most have none). */
export const photoColumns = {
	photoKey: media.storageKey,
	photoKind: media.kind,
	photoVariants: media.variants,
	photoWidth: media.width,
	photoHeight: media.height,
	photoAlt: media.alt
};

export function photoView(
	row: {
		photoKey: string | null;
		photoKind: string | null;
		photoVariants: number[] | null;
		photoWidth: number | null;
		photoHeight: number | null;
		photoAlt: LocalizedText | null;
	},
	language: string
): ProposalPhoto | null {
	if (!row.photoKey || row.photoKind !== 'image' || !row.photoVariants?.length) return null;
	return {
		storageKey: row.photoKey,
		variants: row.photoVariants,
		width: row.photoWidth ?? 0,
		height: row.photoHeight ?? 0,
		alt: pick(row.photoAlt, language)
	};
}
