import type { Database, Transaction } from '../kernel/database.ts';
import { readForm } from '../kernel/input.ts';
import type { Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { addToLibrary, discardStoredFiles } from '../media/commands.ts';
import type { MediaItem } from '../media/queries.ts';
import type { MediaStore } from '../media/store.ts';
import { partnershipsPolicy } from '../partnerships/policy.ts';
import { partnershipToEdit } from '../partnerships/space/queries.ts';
import { attachUpload } from '../partnerships/space/commands.ts';
import { documentTitle, pdfBytes, uploadDocumentForm } from '../partnerships/space/input.ts';

/**
 * A partnership's editor or coordinator uploads a PDF of its own (a report, a plan, an
 * agreement): it goes into the media library, with the same checks as any upload, and onto the
 * partnership's page, in one transaction. Nobody else gets as far as the library.
 */
export async function uploadPartnershipDocument(
	db: Database | Transaction,
	store: MediaStore,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>
): Promise<void> {
	let stored: MediaItem | undefined;
	try {
		await runCommand(db, actor, {
			rule: partnershipsPolicy.workInSpace,
			parse: () => readForm(raw, uploadDocumentForm, 'partnerships'),
			check: async (tx, _input, who) => void (await partnershipToEdit(tx, who, slug)),
			work: async (tx, input, who) => {
				const bytes = await pdfBytes(input.file);
				stored = await addToLibrary(tx, store, who, { bytes, fileName: input.file.name, alt: {} });
				await attachUpload(tx, who, slug, { mediaId: stored.id, title: documentTitle(input) });
				// Both modules' commands write their own audit rows in this transaction.
				return { result: undefined, audit: [], public: true };
			}
		});
	} catch (error) {
		// The library writes a file before its row: the row went with the transaction, so must the file.
		if (stored) await discardStoredFiles(store, stored);
		throw error;
	}
}
