import { inArray } from 'drizzle-orm';
import type { Database, Transaction } from '../kernel/database.ts';
import type { LibraryFile, MediaUse } from '../kernel/module.ts';
import { partnership, partnershipDocument, partnershipName, partnershipNames } from './schema.ts';

/** The partnerships that show library files: as their lead image, or among their documents. */
export async function partnershipMediaUses(
	db: Database | Transaction,
	files: readonly LibraryFile[],
	locale: string
): Promise<MediaUse[]> {
	if (!files.length) return [];
	const ids = files.map((f) => f.id);
	const [leads, documents] = await Promise.all([
		db
			.select({ partnershipId: partnership.id, mediaId: partnership.leadImageId })
			.from(partnership)
			.where(inArray(partnership.leadImageId, ids)),
		db
			.select({ partnershipId: partnershipDocument.partnershipId, mediaId: partnershipDocument.mediaId })
			.from(partnershipDocument)
			.where(inArray(partnershipDocument.mediaId, ids))
	]);
	const partnershipIds = [...new Set([...leads, ...documents].map((u) => u.partnershipId))];
	if (!partnershipIds.length) return [];
	const named = await db
		.select({ id: partnership.id, slug: partnership.slug, names: partnershipNames })
		.from(partnership)
		.where(inArray(partnership.id, partnershipIds));
	const byId = new Map(named.map((p) => [p.id, p]));
	const use = (partnershipId: number, mediaId: number, kind: MediaUse['use']): MediaUse => {
		const p = byId.get(partnershipId)!;
		return {
			mediaId,
			use: kind,
			title: partnershipName(p.names, locale),
			href: `/partnerships/${p.slug}/edit`
		};
	};
	return [
		...leads.map((l) => use(l.partnershipId, l.mediaId!, 'partnershipLead')),
		...documents.map((d) => use(d.partnershipId, d.mediaId, 'partnershipDocument'))
	];
}
