import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import { everyRole, type TestActor } from '../test/actors.ts';
import { aMediaStore, anImage } from '../test/factories/media.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { contentVersion } from '../kernel/content-version.ts';
import { runCommand } from '../kernel/write.ts';
import type { Role } from '#lib/roles.ts';
import { addToLibrary, deleteMedia, discardStoredFiles, setAltText, uploadMedia } from './commands.ts';
import { findServedFile, listMedia } from './queries.ts';
import { readAll, type MediaStore } from './store.ts';
import { media } from './schema.ts';
import { mediaPolicy } from './policy.ts';
import { blackAndWhitePng, jpegWithGps, png, textNamedJpg, tinyPdf } from './test-files.ts';

/** The upload form as a browser sends it: the file and the alt text fields. */
function uploadForm(
	bytes: Uint8Array | null,
	fileName: string,
	alt: { sv?: string; en?: string } = {}
): FormData {
	const form = new FormData();
	form.set('file', new File(bytes ? [bytes as Uint8Array<ArrayBuffer>] : [], fileName));
	if (alt.sv !== undefined) form.set('alt_sv', alt.sv);
	if (alt.en !== undefined) form.set('alt_en', alt.en);
	return form;
}

describe.each(testDatabases)('changing the media library on $name', (database) => {
	let h: DatabaseHandle;
	let store: MediaStore;
	let dir: string;
	let removeStore: () => void;
	let people: Record<Role, TestActor>;

	/** Problems of a refused call, as field:code. */
	async function problems(run: Promise<unknown>): Promise<string[]> {
		const error = await run.then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ValidationError);
		return (error as ValidationError).problems.map((p) => `${p.field}:${String(p.code)}`);
	}

	const auditRows = (action: string, id: number) =>
		h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, action), eq(auditLog.subject, `media:${id}`)));
	const stored = () => readdirSync(dir).sort();

	beforeAll(async () => {
		h = await database.open();
		({ store, dir, remove: removeStore } = aMediaStore());
		people = await everyRole(h.db);
	});
	afterAll(async () => {
		await h?.close();
		removeStore?.();
	});

	it('an author uploads a photo: WebP widths in the store, no GPS, a row and an audit entry', async () => {
		const item = await uploadMedia(
			h.db,
			store,
			people.author,
			uploadForm(await jpegWithGps(1200, 800), 'Möte i Peja.JPG', {
				sv: '  Deltagare   vid ett möte ',
				en: 'People at a meeting'
			})
		);
		expect(item).toMatchObject({
			kind: 'image',
			mime: 'image/jpeg',
			width: 800,
			height: 1200,
			variants: [320, 640, 800],
			fileName: 'mote-i-peja.jpg',
			alt: { sv: 'Deltagare vid ett möte', en: 'People at a meeting' },
			createdByName: people.author.name
		});
		expect(item.storageKey).toMatch(/^[0-9a-f]{32}$/);
		expect(readdirSync(path.join(dir, item.storageKey)).sort()).toEqual(['320.webp', '640.webp', '800.webp']);
		const served = await findServedFile(h.db, item.storageKey, '640.webp');
		expect(served).toMatchObject({ contentType: 'image/webp', downloadName: null });
		const bytes = await readAll((await store.get(served!.objectKey))!);
		const meta = await sharp(bytes).metadata();
		expect([meta.format, meta.width, meta.exif]).toEqual(['webp', 640, undefined]);
		expect(Buffer.from(bytes).includes('Testkamera')).toBe(false);

		const [row] = await auditRows('media.upload', item.id);
		expect(row).toMatchObject({
			actorId: people.author.id,
			after: { fileName: 'mote-i-peja.jpg', kind: 'image' }
		});
	});

	it('keeps a PDF as it is, under a download name made safe', async () => {
		const pdf = tinyPdf();
		const item = await uploadMedia(
			h.db,
			store,
			people.editor,
			uploadForm(pdf, 'Årsrapport 2024.pdf', { sv: 'ignoreras för dokument' })
		);
		expect(item).toMatchObject({
			kind: 'document',
			mime: 'application/pdf',
			fileName: 'arsrapport-2024.pdf'
		});
		expect(item.alt).toEqual({});
		expect(item.variants).toEqual([]);
		const served = await findServedFile(h.db, item.storageKey, 'arsrapport-2024.pdf');
		expect(served).toMatchObject({ contentType: 'application/pdf', downloadName: 'arsrapport-2024.pdf' });
		expect(Buffer.from(await readAll((await store.get(served!.objectKey))!)).equals(pdf)).toBe(true);
		// Only the document's own name and only widths that exist are served.
		expect(await findServedFile(h.db, item.storageKey, 'annat-namn.pdf')).toBeNull();
		expect(await findServedFile(h.db, item.storageKey, '320.webp')).toBeNull();
	});

	it('refuses files by their bytes, images without alt text, and keeps nothing of a refused upload', async () => {
		const before = (await h.db.select().from(media)).length;
		const files = stored();
		expect(
			await problems(
				uploadMedia(h.db, store, people.author, uploadForm(textNamedJpg, 'bild.jpg', { sv: 'En bild' }))
			)
		).toEqual(['file:fileType']);
		expect(
			await problems(uploadMedia(h.db, store, people.author, uploadForm(null, '', { sv: 'En bild' })))
		).toEqual(['file:fileMissing']);
		expect(
			await problems(
				uploadMedia(
					h.db,
					store,
					people.author,
					uploadForm(await png(100, 100), 'x.png', { sv: '   ', en: '' })
				)
			)
		).toEqual(['alt:altRequired']);
		expect(
			await problems(
				uploadMedia(
					h.db,
					store,
					people.author,
					uploadForm(await png(100, 100), 'x.png', { sv: 'x'.repeat(301) })
				)
			)
		).toEqual(['alt_sv:tooLong']);
		// A body the server could not read (over its size limit) is "too large", not an error page.
		expect(await problems(uploadMedia(h.db, store, people.author, null))).toEqual(['file:fileTooLarge']);
		// 120 megapixels in 64 KB: refused from its header, before decoding, over MEDIA_MAX_MEGAPIXELS.
		expect(
			await problems(
				uploadMedia(
					h.db,
					store,
					people.author,
					uploadForm(blackAndWhitePng(12000, 10000), 'x.png', { sv: 'Karta' })
				)
			)
		).toEqual(['file:imageTooLarge']);
		// Every bad field at once: no file, and alt text too long.
		const form = uploadForm(null, '', { en: 'y'.repeat(400) });
		expect(await problems(uploadMedia(h.db, store, people.author, form))).toEqual([
			'file:fileMissing',
			'alt_en:tooLong'
		]);
		expect((await h.db.select().from(media)).length).toBe(before);
		expect(stored()).toEqual(files);
	});

	it('removes the stored files again when the row cannot be written', async () => {
		const files = stored();
		// An actor whose account is gone: the row's reference to the uploader fails in the transaction.
		const ghost = { id: 'no-such-user', role: 'author' as const };
		await expect(
			uploadMedia(h.db, store, ghost, uploadForm(await png(700, 300), 'x.png', { sv: 'Spöke' }))
		).rejects.toThrow();
		expect(stored()).toEqual(files);
	});

	it('lets staff in and keeps readers and the signed out away', async () => {
		const upload = uploadForm(await png(50, 50), 'x.png', { sv: 'x' });
		await expect(uploadMedia(h.db, store, people.reader, upload)).rejects.toThrow(ForbiddenError);
		await expect(uploadMedia(h.db, store, null, upload)).rejects.toMatchObject({ signInRequired: true });
		// Permission before anything is read: a reader's oversized body is still a 403.
		await expect(uploadMedia(h.db, store, people.reader, null)).rejects.toThrow(ForbiddenError);
		await expect(setAltText(h.db, people.reader, { id: '1', alt_sv: 'x' })).rejects.toThrow(ForbiddenError);
		await expect(deleteMedia(h.db, store, people.reader, { id: '1' })).rejects.toThrow(ForbiddenError);
		// Authors upload and describe, but only editors and admins delete.
		await expect(deleteMedia(h.db, store, people.author, { id: '1' })).rejects.toThrow(ForbiddenError);
		expect((await listMedia(h.db, people.author)).total).toBeGreaterThan(0);
	});

	it('edits alt text per language with an audit entry; an image keeps at least one', async () => {
		const item = await anImage(h.db, store, people.author, {
			fileName: 'karta.png',
			alt: { sv: 'Karta över Ghanzi' }
		});
		const edited = await setAltText(h.db, people.author, {
			id: String(item.id),
			alt_sv: 'Karta över Ghanzi',
			alt_en: 'Map of Ghanzi'
		});
		expect(edited.alt).toEqual({ sv: 'Karta över Ghanzi', en: 'Map of Ghanzi' });
		const [row] = await auditRows('media.alt', item.id);
		expect(row).toMatchObject({
			actorId: people.author.id,
			before: { alt: { sv: 'Karta över Ghanzi' } },
			after: { alt: { sv: 'Karta över Ghanzi', en: 'Map of Ghanzi' } }
		});
		// One language may be emptied; both may not.
		expect(
			(await setAltText(h.db, people.editor, { id: String(item.id), alt_en: 'Map of Ghanzi' })).alt
		).toEqual({
			en: 'Map of Ghanzi'
		});
		expect(
			await problems(setAltText(h.db, people.editor, { id: String(item.id), alt_sv: ' ', alt_en: '' }))
		).toEqual(['alt:altRequired']);
		expect(await problems(setAltText(h.db, people.editor, { id: '999999', alt_sv: 'x' }))).toEqual([
			'file:unknownMedia'
		]);
		expect(await problems(setAltText(h.db, people.editor, { id: 'abc', alt_sv: 'x' }))).toEqual([
			'id:invalidId'
		]);
		// Saving the same text again writes no audit row.
		await setAltText(h.db, people.editor, { id: String(item.id), alt_en: 'Map of Ghanzi' });
		expect(await auditRows('media.alt', item.id)).toHaveLength(2);
		// A document has no alt text to edit.
		const { items } = await listMedia(h.db, people.editor, { kind: 'document' });
		expect(
			await problems(setAltText(h.db, people.editor, { id: String(items[0]!.id), alt_sv: 'x' }))
		).toEqual(['file:unknownMedia']);
	});

	it('an editor deletes a file: the row, its files and its address go, with an audit entry and fresh caches', async () => {
		const item = await anImage(h.db, store, people.author, {
			width: 1000,
			height: 500,
			fileName: 'bort.png'
		});
		expect(await findServedFile(h.db, item.storageKey, '960.webp')).not.toBeNull();
		const version = contentVersion();
		await deleteMedia(h.db, store, people.editor, { id: String(item.id) });
		expect(contentVersion()).not.toBe(version);
		expect(await h.db.select().from(media).where(eq(media.id, item.id))).toEqual([]);
		expect(stored()).not.toContain(item.storageKey);
		expect(await findServedFile(h.db, item.storageKey, '960.webp')).toBeNull();
		const [row] = await auditRows('media.delete', item.id);
		expect(row).toMatchObject({
			actorId: people.editor.id,
			before: { fileName: 'bort.png', storageKey: item.storageKey }
		});
		expect(await problems(deleteMedia(h.db, store, people.admin, { id: String(item.id) }))).toEqual([
			'file:unknownMedia'
		]);
		expect(await problems(deleteMedia(h.db, store, people.admin, {}))).toEqual(['id:invalidId']);
		const pdf = (await listMedia(h.db, people.admin, { kind: 'document' })).items[0]!;
		await deleteMedia(h.db, store, people.admin, { id: String(pdf.id) });
		expect(stored()).not.toContain(pdf.storageKey);
	});

	it('adds a file inside a caller’s transaction: the row goes with it, the caller discards the files', async () => {
		const coordinator = people.reader;
		let added: Awaited<ReturnType<typeof addToLibrary>> | undefined;
		await expect(
			runCommand(h.db, coordinator, {
				rule: mediaPolicy.keepUpload,
				parse: () => null,
				work: async (tx) => {
					added = await addToLibrary(tx, store, coordinator, {
						bytes: tinyPdf('Plan'),
						fileName: 'Plan 2026.pdf',
						alt: {}
					});
					throw new Error('the partnership step failed');
				}
			})
		).rejects.toThrow('the partnership step failed');
		expect(added).toMatchObject({ fileName: 'plan-2026.pdf', createdByName: coordinator.name });
		expect(await h.db.select().from(media).where(eq(media.id, added!.id))).toEqual([]);
		expect(await auditRows('media.upload', added!.id)).toEqual([]);
		expect(stored()).toContain(added!.storageKey);
		await discardStoredFiles(store, added!);
		expect(stored()).not.toContain(added!.storageKey);

		// Committed with the caller: the row and its audit row under the person who added it.
		const kept = await runCommand(h.db, coordinator, {
			rule: mediaPolicy.keepUpload,
			parse: () => null,
			work: async (tx) => ({
				result: await addToLibrary(tx, store, coordinator, {
					bytes: tinyPdf(),
					fileName: 'avtal.pdf',
					alt: {}
				}),
				audit: [],
				public: true
			})
		});
		expect((await auditRows('media.upload', kept.id))[0]).toMatchObject({ actorId: coordinator.id });
		// The platform adds its own (the demo's documents): no actor.
		const demo = await addToLibrary(h.db, store, null, { bytes: tinyPdf(), fileName: 'demo.pdf', alt: {} });
		expect((await auditRows('media.upload', demo.id))[0]).toMatchObject({ actorId: null });
		expect(demo.createdByName).toBeNull();
		// The same checks of the bytes as any upload.
		expect(
			await problems(
				addToLibrary(h.db, store, coordinator, { bytes: textNamedJpg, fileName: 'x.pdf', alt: {} })
			)
		).toEqual(['file:fileType']);
	});
});
