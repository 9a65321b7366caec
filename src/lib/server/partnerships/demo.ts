import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/index.ts';
import type { MediaStore } from '../media/store.ts';
import { addToLibrary } from '../media/service.ts';
import { partnership, partnershipDocument } from './schema.ts';

const titles: Record<string, { sv: string; en: string }> = {
	'vasterbotten-yogyakarta': { sv: 'Arbetsplan (exempel)', en: 'Work plan (example)' },
	'kalmar-cape-winelands': { sv: 'Slutrapport (exempel)', en: 'Final report (example)' },
	'horby-peja': { sv: 'Slutrapport (exempel)', en: 'Final report (example)' },
	'ale-ghanzi': { sv: 'Arbetsplan (exempel)', en: 'Work plan (example)' }
};

/**
 * Gives each demo partnership an example document (data/demo/documents/<slug>.pdf) through the
 * media library, so its page shows what a partnership's documents look like. Only for a demo
 * partnership that has none; clearly titled as an example.
 */
export async function seedDemoDocuments(db: Database, store: MediaStore): Promise<number> {
	const dir = path.resolve(process.env.REFERENCE_DATA_DIR ?? 'data', 'demo/documents');
	const rows = await db
		.select({ id: partnership.id, slug: partnership.slug })
		.from(partnership)
		.where(inArray(partnership.slug, Object.keys(titles)));
	let added = 0;
	for (const p of rows) {
		const file = path.join(dir, `${p.slug}.pdf`);
		const has = await db
			.select({ id: partnershipDocument.mediaId })
			.from(partnershipDocument)
			.where(eq(partnershipDocument.partnershipId, p.id));
		if (has.length || !existsSync(file)) continue;
		const item = await addToLibrary(db, store, null, {
			bytes: readFileSync(file),
			fileName: `${p.slug}.pdf`,
			alt: {}
		});
		await db
			.insert(partnershipDocument)
			.values({ partnershipId: p.id, mediaId: item.id, title: titles[p.slug]! });
		added++;
	}
	return added;
}
