import type { Database, Transaction } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import type { ProposalInput } from './input.ts';
import { pick, type LocalizedText } from '../../kernel/localized.ts';
import { media } from '../../media/schema.ts';
import { returnAllowance, takeAllowance } from './limits.ts';

// A proposal's optional photo, as the proposal's commands see it: the media pipeline itself is
// another module's, so the app hands it in (app/proposal-photos.ts) and the commands call it in
// their transaction, before the proposal's row that names it. Pages read it with the proposal.

/**
 * Puts a proposal's photo into the media library inside the proposal's transaction and gives its
 * id (the app composes it: app/proposal-photos.ts). Throws the form's ValidationError for a file
 * the pipeline refuses, which takes the proposal's row with it.
 */
export type PhotoAttacher = (
	tx: Transaction,
	who: NonNullable<Actor>,
	photo: { file: File; alt: string; language: string }
) => Promise<number>;

/** The photo the form sent, put into the library by `attach`; null when none was chosen. */
export async function photoOf(
	tx: Transaction,
	who: NonNullable<Actor>,
	input: ProposalInput,
	language: string,
	attach: PhotoAttacher | undefined
): Promise<number | null> {
	if (!input.proposalPhoto) return null;
	// A photo cannot be taken without the pipeline: never saved as if none had been chosen.
	if (!attach) throw new Error('A proposal photo needs the media pipeline (app/proposal-photos.ts)');
	return attach(tx, who, { file: input.proposalPhoto, alt: input.proposalPhotoAlt ?? '', language });
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
