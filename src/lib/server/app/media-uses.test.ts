import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { aForm, anArticle } from '../test/factories/content.ts';
import { aMediaStore, aDocument, anImage } from '../test/factories/media.ts';
import { aPartnership } from '../test/factories/partnerships.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { auditLog } from '../kernel/schema.ts';
import { article, articleTranslation } from '../content/schema.ts';
import { media } from '../media/schema.ts';
import { deleteMedia } from '../media/commands.ts';
import { partnership, partnershipDocument } from '../partnerships/schema.ts';
import { libraryHooks, libraryUses } from './media.ts';

describe.each(testDatabases)('a library file the pages use, on $name', (database) => {
	let h: DatabaseHandle;
	let editor: TestActor;
	const files = aMediaStore();

	beforeAll(async () => {
		h = await database.open();
		editor = await anActor(h.db, 'editor');
	});
	afterAll(async () => {
		await h?.close();
		files.remove();
	});

	it('names every page that shows a file, and deleting one that is used asks first', async () => {
		const picture = await anImage(h.db, files.store, editor, { alt: { sv: 'Ett möte', en: 'A meeting' } });
		const report = await aDocument(h.db, files.store, editor, { fileName: 'arsrapport.pdf' });
		const unused = await anImage(h.db, files.store, editor);
		const led = await anArticle(h.db, {
			translations: {
				sv: { title: 'Möten i byn', teaser: 'Om möten.', body: '<p>Text.</p>' },
				en: { title: 'Meetings in the village', teaser: 'About meetings.', body: '<p>Text.</p>' }
			}
		});
		await h.db.update(article).set({ leadImageId: picture.id }).where(eq(article.id, led.id));
		// The report is linked from an article's text in both languages (one use), and is a
		// partnership's document; the picture also leads that partnership, and is shown in the text.
		const image = `<p><img src="/media/${picture.storageKey}/400.webp" alt="Ett möte"></p>`;
		const link = `<p>Läs <a href="/media/${report.storageKey}/arsrapport.pdf">rapporten</a> och <a href="https://example.se/">mer</a>.</p>${image}`;
		const linking = await anArticle(h.db, {
			translations: {
				sv: { title: 'Rapporten', teaser: 'Läs den.', body: link },
				en: { title: 'The report', teaser: 'Read it.', body: link }
			}
		});
		const team = await aPartnership(h.db);
		await h.db.update(partnership).set({ leadImageId: picture.id }).where(eq(partnership.id, team.id));
		await h.db.insert(partnershipDocument).values({ partnershipId: team.id, mediaId: report.id });

		const uses = await libraryUses(h.db, [picture, report, unused], 'en');
		const sorted = uses
			.map((u) => [u.mediaId, u.use, u.href])
			.sort((a, b) => String(a).localeCompare(String(b)));
		expect(sorted).toEqual(
			[
				[picture.id, 'articleLead', `/admin/articles/${led.id}`],
				[picture.id, 'partnershipLead', `/partnerships/${team.slug}/edit`],
				[picture.id, 'articleLink', `/admin/articles/${linking.id}`],
				[report.id, 'articleLink', `/admin/articles/${linking.id}`],
				[report.id, 'partnershipDocument', `/partnerships/${team.slug}/edit`]
			].sort((a, b) => String(a).localeCompare(String(b)))
		);
		expect(uses.find((u) => u.use === 'articleLead')?.title).toBe('Meetings in the village');
		expect((await libraryUses(h.db, [picture], 'sv')).find((u) => u.use === 'articleLead')?.title).toBe(
			'Möten i byn'
		);
		expect(uses.find((u) => u.use === 'partnershipLead')?.title).toMatch(/ – /);

		const remove = (id: number, confirm?: 'yes') =>
			deleteMedia(
				h.db,
				files.store,
				editor,
				aForm({ id: String(id), ...(confirm ? { confirm } : {}) }),
				libraryHooks('sv')
			);
		// Without the tick: refused at the box, nothing removed, nothing audited.
		const refused = await remove(picture.id).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(ValidationError);
		expect((refused as ValidationError).problems).toEqual([{ field: 'confirm', code: 'inUse' }]);
		expect(await h.db.select({ id: media.id }).from(media).where(eq(media.id, picture.id))).toHaveLength(1);
		const [{ leadImageId } = { leadImageId: null }] = await h.db
			.select({ leadImageId: article.leadImageId })
			.from(article)
			.where(eq(article.id, led.id));
		expect(leadImageId).toBe(picture.id);

		// A file nothing uses goes at once; a used one with the tick, off the pages that showed it.
		expect((await remove(unused.id)).fileName).toBe(unused.fileName);
		await remove(picture.id, 'yes');
		await remove(report.id, 'yes');
		const [after] = await h.db
			.select({ leadImageId: article.leadImageId })
			.from(article)
			.where(eq(article.id, led.id));
		expect(after!.leadImageId).toBeNull();
		expect(
			await h.db.select().from(partnershipDocument).where(eq(partnershipDocument.partnershipId, team.id))
		).toEqual([]);
		// The text that linked to both keeps the link's words and its other link, without a dead one.
		const texts = await h.db
			.select({ body: articleTranslation.body })
			.from(articleTranslation)
			.where(eq(articleTranslation.articleId, linking.id));
		expect(texts.map((t) => t.body)).toEqual([
			'<p>Läs rapporten och <a href="https://example.se/" rel="nofollow noopener">mer</a>.</p>',
			'<p>Läs rapporten och <a href="https://example.se/" rel="nofollow noopener">mer</a>.</p>'
		]);
		expect(await libraryUses(h.db, [picture, report], 'sv')).toEqual([]);
		const deleted = await h.db
			.select({ subject: auditLog.subject })
			.from(auditLog)
			.where(eq(auditLog.action, 'media.delete'));
		expect(deleted.map((d) => d.subject)).toEqual(
			expect.arrayContaining([`media:${picture.id}`, `media:${report.id}`, `media:${unused.id}`])
		);
	});
});
