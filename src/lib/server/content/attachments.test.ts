import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { aDocument, aMediaStore } from '../test/factories/media.ts';
import { anArticle } from '../test/factories/content.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { formatFileSize } from '#lib/i18n/index.ts';
import { getArticle, getArticleById } from './queries.ts';

describe.each(testDatabases)('attachments in an article on $name', (database) => {
	let h: DatabaseHandle;
	const files = aMediaStore();
	beforeAll(async () => {
		h = await database.open();
	});
	afterAll(async () => {
		await h.close();
		files.remove();
	});

	it('shows a linked library document with its type and size, in the page’s language', async () => {
		const pdf = await aDocument(h.db, files.store, null, { fileName: 'arsrapport.pdf' });
		const link = `<a href="/media/${pdf.storageKey}/arsrapport.pdf">Årsrapporten</a>`;
		const outside = '<a href="https://example.org/rapport.pdf">En rapport någon annanstans</a>';
		// Stored as the editor posts it; the page's text comes through the sanitiser (rel="…").
		const { id, slug } = await anArticle(h.db, {
			status: 'published',
			translations: {
				sv: { title: 'Med bilaga', teaser: 'En ingress.', body: `<p>Läs ${link}. ${outside}</p>` },
				en: { title: 'With an attachment', teaser: 'A teaser.', body: `<p>Read ${link}.</p>` }
			}
		});
		const sv = await getArticle(h.db, 'sv', slug);
		expect(sv!.body).toContain(
			`>Årsrapporten</a> <span class="file-meta">(PDF, ${formatFileSize('sv', pdf.bytes)})</span>`
		);
		// A link that is not to the library gets nothing after it.
		expect(sv!.body).toMatch(/>En rapport någon annanstans<\/a><\/p>$/);
		const en = await getArticleById(h.db, 'en', id);
		expect(en!.body).toContain(
			`>Årsrapporten</a> <span class="file-meta">(PDF, ${formatFileSize('en', pdf.bytes)})</span>`
		);
	});
});
