import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { aPartnership, type TestPartnership } from '../test/factories/partnerships.ts';
import { aMediaStore } from '../test/factories/media.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { auditLog } from '../kernel/schema.ts';
import { media } from '../media/schema.ts';
import { listMedia } from '../media/queries.ts';
import { deleteMedia } from '../media/commands.ts';
import { editorMedia } from '../content/workspace/queries.ts';
import { documentOptions } from '../partnerships/space/queries.ts';
import { attachFromLibrary } from '../partnerships/space/commands.ts';
import { png, tinyPdf } from '../media/test-files.ts';
import { startReport } from '../results/reports/commands.ts';
import { reportAttachmentsView } from '../results/reports/attachments.ts';
import { attachToYearlyReport, removeYearlyReportAttachment, servedFile } from './report-attachments.ts';

const form = (bytes: Uint8Array | string, fileName: string, title?: string, type = 'application/pdf') => {
	const data = new FormData();
	data.append(
		'attachment',
		new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], fileName, { type })
	);
	if (title !== undefined) data.append('attachmentTitle', title);
	return data;
};

describe.each(testDatabases)("a yearly report's attachments on $name", (database) => {
	let h: DatabaseHandle;
	let coordinator: TestActor;
	let editor: TestActor;
	let outsider: TestActor;
	let p: TestPartnership;
	const files = aMediaStore();
	const stored = () =>
		readdirSync(files.dir, { recursive: true }).filter((f) => String(f).includes('.')).length;
	const libraryRows = async () => (await h.db.select({ n: count() }).from(media))[0]!.n;
	const attach = (who: TestActor | null, data: FormData | null, locale = 'sv', year = 2025) =>
		attachToYearlyReport(h.db, files.store, who, p.slug, year, data, locale);
	const listed = async (who: TestActor = coordinator, locale = 'sv') =>
		(await reportAttachmentsView(h.db, who, locale, p.slug, 2025)).items;

	beforeAll(async () => {
		h = await database.open();
		coordinator = await anActor(h.db, 'reader');
		editor = await anActor(h.db, 'editor');
		outsider = await anActor(h.db, 'reader');
		p = await aPartnership(h.db, { coordinators: [coordinator.id] });
		await startReport(h.db, coordinator, p.slug, 2025);
	});
	afterAll(async () => {
		await h?.close();
		files.remove();
	});

	it('stores a coordinator’s PDF with its title, kept out of the staff’s library, audited by both modules', async () => {
		const pdf = tinyPdf('Protokoll fran dialogmotet');
		await attach(coordinator, form(pdf, 'Skanning 0001.pdf', 'Protokoll från dialogmötet i maj'));
		const [item] = await listed();
		expect(item).toMatchObject({
			title: 'Protokoll från dialogmötet i maj',
			kind: 'document',
			bytes: pdf.length
		});
		// The title was written on the Swedish page; the English one shows it too (there is no other).
		expect((await listed(coordinator, 'en'))[0]!.title).toBe('Protokoll från dialogmötet i maj');
		const [row] = await h.db.select().from(media).where(eq(media.id, item!.mediaId));
		// The title is the attachment's: the document's library row keeps no alt text.
		expect(row).toMatchObject({ origin: 'report', kind: 'document', createdBy: coordinator.id, alt: {} });

		// What is served is the file as sent, to the coordinator, and never kept by a shared cache.
		const [key, name] = item!.href.split('/').slice(2);
		const served = await servedFile(h.db, key!, name!, async () => coordinator);
		expect(served?.cacheControl).toBe('private, no-store');
		const object = await files.store.get(served!.objectKey);
		expect(Buffer.from(await new Response(object!.body).arrayBuffer())).toEqual(pdf);
		// Anyone else: no such file.
		expect(await servedFile(h.db, key!, name!, async () => null)).toBeNull();
		expect(await servedFile(h.db, key!, name!, async () => outsider)).toBeNull();

		// Not in the staff's library, and not offered to an article or a partnership's page.
		expect((await listMedia(h.db, editor)).items.map((m) => m.id)).not.toContain(item!.mediaId);
		expect((await editorMedia(h.db, editor)).documents.map((d) => d.href)).not.toContain(item!.href);
		expect((await documentOptions(h.db, editor)).map((d) => d.id)).not.toContain(item!.mediaId);
		const other = await aPartnership(h.db);
		await expect(
			attachFromLibrary(h.db, editor, other.slug, { media: String(item!.mediaId), title_sv: 'Lånad' })
		).rejects.toMatchObject({ problems: [{ field: 'media', code: 'unknownMedia' }] });
		// Nor deleted through the library (it goes with its report).
		await expect(
			deleteMedia(h.db, files.store, editor, { id: String(item!.mediaId) })
		).rejects.toBeInstanceOf(ValidationError);
		expect(await listed()).toHaveLength(1);

		const actions = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.actorId, coordinator.id));
		expect(actions.map((a) => a.action)).toEqual(
			expect.arrayContaining(['media.upload', 'results.report-attachment-added'])
		);
	});

	it('takes an image too, its title as its alt text, and links its widest version', async () => {
		await attach(
			editor,
			form(await png(1600, 900), 'IMG_2211.png', 'Dialogue meeting in Ghanzi', 'image/png'),
			'en'
		);
		const image = (await listed(coordinator, 'en')).at(-1)!;
		expect(image).toMatchObject({
			title: 'Dialogue meeting in Ghanzi',
			kind: 'image',
			width: 1600,
			height: 900
		});
		expect(image.href).toMatch(/^\/media\/[^/]+\/\d+\.webp$/);
		const [row] = await h.db.select({ alt: media.alt }).from(media).where(eq(media.id, image.mediaId));
		expect(row!.alt).toEqual({ en: 'Dialogue meeting in Ghanzi' });
	});

	it('refuses others before the form is read, and a bad file or a missing title before the library sees it', async () => {
		const rows = await libraryRows();
		const objects = stored();
		await expect(attach(outsider, form(tinyPdf(), 'x.pdf', 'X'))).rejects.toThrow(ForbiddenError);
		await expect(attach(outsider, new FormData())).rejects.toThrow(ForbiddenError);
		await expect(attach(null, form(tinyPdf(), 'x.pdf', 'X'))).rejects.toMatchObject({ signInRequired: true });
		await expect(attach(coordinator, form('inte en pdf', 'plan.pdf', 'Plan'))).rejects.toMatchObject({
			problems: [{ field: 'file', code: 'fileType' }]
		});
		await expect(attach(coordinator, form(tinyPdf(), 'plan.pdf', '  '))).rejects.toMatchObject({
			problems: [{ field: 'attachmentTitle', code: 'required' }]
		});
		// A body too large to read: the file is what made it so.
		await expect(attach(coordinator, null)).rejects.toMatchObject({
			problems: [{ field: 'file', code: 'fileTooLarge' }]
		});
		await expect(attach(coordinator, form(tinyPdf(), 'plan.pdf', 'Plan'), 'sv', 2031)).rejects.toMatchObject({
			problems: [{ field: 'form', code: 'reportNotStarted' }]
		});
		expect(await libraryRows()).toBe(rows);
		expect(stored()).toBe(objects);
	});

	it('removes an attachment from the report and the library, and its file from the store', async () => {
		const [first] = await listed();
		const rows = await libraryRows();
		const before = stored();
		await expect(
			removeYearlyReportAttachment(h.db, files.store, outsider, p.slug, 2025, {
				attachment: String(first!.mediaId)
			})
		).rejects.toThrow(ForbiddenError);
		await removeYearlyReportAttachment(h.db, files.store, coordinator, p.slug, 2025, {
			attachment: String(first!.mediaId)
		});
		expect((await listed()).map((a) => a.mediaId)).not.toContain(first!.mediaId);
		expect(await libraryRows()).toBe(rows - 1);
		expect(stored()).toBe(before - 1);
		const [key, name] = first!.href.split('/').slice(2);
		expect(await servedFile(h.db, key!, name!, async () => coordinator)).toBeNull();
		const actions = await h.db
			.select({ action: auditLog.action })
			.from(auditLog)
			.where(eq(auditLog.subject, `media:${first!.mediaId}`));
		expect(actions.map((a) => a.action).sort()).toEqual(['media.delete', 'media.upload']);
	});
});
