import { readFileSync } from 'node:fs';
import type { Database } from '../kernel/database.ts';
import { runSystemChange } from '../kernel/write.ts';
import { addToLibrary } from '../media/commands.ts';
import type { MediaStore } from '../media/store.ts';
import { attachDocument, missingDemoDocuments } from '../partnerships/demo.ts';

/**
 * What the demo needs of two modules at once: each demo partnership's example PDF goes into the
 * media library and onto the partnership, in one change. Returns how many were added.
 */
export async function addDemoDocuments(db: Database, store: MediaStore): Promise<number> {
	const missing = await missingDemoDocuments(db);
	for (const doc of missing) {
		await runSystemChange(db, async (tx) => {
			const item = await addToLibrary(tx, store, null, {
				bytes: readFileSync(doc.file),
				fileName: `${doc.slug}.pdf`,
				alt: {}
			});
			await attachDocument(tx, doc.partnershipId, item.id, doc.title);
			return {
				result: item.id,
				audit: {
					action: 'partnership.document.demo',
					subject: `partnership:${doc.partnershipId}`,
					after: { mediaId: item.id }
				},
				public: true
			};
		});
	}
	return missing.length;
}
