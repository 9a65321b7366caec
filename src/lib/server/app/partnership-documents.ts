import type { Database, Transaction } from '../kernel/database.ts';
import { readForm } from '../kernel/input.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { runCommand } from '../kernel/write.ts';
import { discardUpload, prepareUpload, recordUpload } from '../media/commands.ts';
import type { MediaStore } from '../media/store.ts';
import { partnershipsPolicy } from '../partnerships/policy.ts';
import { partnershipToEdit } from '../partnerships/space/queries.ts';
import { attachUpload } from '../partnerships/space/commands.ts';
import { documentTitle, pdfBytes, uploadDocumentForm } from '../partnerships/space/input.ts';

/**
 * A partnership's editor or coordinator uploads a PDF of its own (a report, a plan, an
 * agreement): it goes into the media library, with the same checks as any upload, and onto the
 * partnership's page. Nobody else gets as far as the library. The file is checked and stored
 * first, outside the transaction (a bucket may be slow); the library row and the attachment are
 * then one transaction, and the file goes again if that fails.
 */
export async function uploadPartnershipDocument(
	db: Database | Transaction,
	store: MediaStore,
	actor: Actor,
	slug: string,
	raw: FormData | Record<string, unknown>
): Promise<void> {
	authorize(actor, partnershipsPolicy.workInSpace);
	const input = readForm(raw, uploadDocumentForm, 'partnerships');
	// Asked before any file is written; asked again under the transaction below.
	await partnershipToEdit(db, actor, slug);
	const bytes = await pdfBytes(input.file);
	const upload = await prepareUpload(store, { bytes, fileName: input.file.name, alt: {} });
	try {
		await runCommand(db, actor, {
			rule: partnershipsPolicy.workInSpace,
			parse: () => input,
			check: async (tx, _input, who) => void (await partnershipToEdit(tx, who, slug)),
			work: async (tx, input, who) => {
				const stored = await recordUpload(tx, store, who, upload);
				await attachUpload(tx, who, slug, { mediaId: stored.id, title: documentTitle(input) });
				// Both modules' commands write their own audit rows in this transaction.
				return { result: undefined, audit: [], public: true };
			}
		});
	} catch (error) {
		// The row went with the transaction, so must the file.
		await discardUpload(store, upload);
		throw error;
	}
}
