import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { and, eq } from 'drizzle-orm';
import { testDatabases } from '../test/databases.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { user } from '../accounts/schema.ts';
import { documentHref, imageSrc } from '#lib/media-urls.ts';
import {
	deleteMedia,
	findServedFile,
	listMedia,
	mediaByKeys,
	mediaPerPage,
	setAltText,
	uploadMedia
} from './service.ts';
import { localStore, readAll, type MediaStore } from './store.ts';
import { media } from './schema.ts';
import { jpegWithGps, png, textNamedJpg, tinyPdf } from './test-files.ts';

type Person = { id: string; role: 'admin' | 'editor' | 'author' | 'reader' };

describe.each(testDatabases)('the media library on $name', (database) => {
	let h: DatabaseHandle;
	let store: MediaStore;
	let dir: string;
	const people = {} as Record<'admin' | 'editor' | 'author' | 'reader', Person>;

	/** Problems of a refused call, as field:code. */
	async function problems(run: Promise<unknown>): Promise<string[]> {
		const error = await run.then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(ValidationError);
		return (error as ValidationError).problems.map((p) => `${p.field}:${p.code}`);
	}

	const auditRows = (action: string, id: number) =>
		h.db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, action), eq(auditLog.subject, `media:${id}`)));

	beforeAll(async () => {
		h = await database.open();
		dir = mkdtempSync(path.join(tmpdir(), `media-service-${database.name}-`));
		store = localStore(dir);
		for (const role of ['admin', 'editor', 'author', 'reader'] as const) {
			const id = `media-test-${role}`;
			await h.db.insert(user).values({
				id,
				name: `Test ${role}`,
				email: `${role}@media.example.se`,
				emailVerified: true,
				role
			});
			people[role] = { id, role };
		}
	});
	afterAll(async () => {
		await h?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('an author uploads a photo: WebP widths in the store, no GPS, a row and an audit entry', async () => {
		const item = await uploadMedia(h.db, store, people.author, {
			bytes: await jpegWithGps(1200, 800),
			fileName: 'Möte i Peja.JPG',
			alt: { sv: '  Deltagare   vid ett möte ', en: 'People at a meeting' }
		});
		expect(item).toMatchObject({
			kind: 'image',
			mime: 'image/jpeg',
			width: 800,
			height: 1200,
			variants: [320, 640, 800],
			fileName: 'mote-i-peja.jpg',
			alt: { sv: 'Deltagare vid ett möte', en: 'People at a meeting' },
			createdByName: 'Test author'
		});
		expect(item.storageKey).toMatch(/^[0-9a-f]{32}$/);
		expect(readdirSync(path.join(dir, item.storageKey)).sort()).toEqual(['320.webp', '640.webp', '800.webp']);
		const served = await findServedFile(h.db, item.storageKey, '640.webp');
		expect(served).toMatchObject({ contentType: 'image/webp', downloadName: null });
		const stored = await readAll((await store.get(served!.objectKey))!);
		const meta = await sharp(stored).metadata();
		expect([meta.format, meta.width, meta.exif]).toEqual(['webp', 640, undefined]);
		expect(Buffer.from(stored).includes('Testkamera')).toBe(false);

		const [row] = await auditRows('media.upload', item.id);
		expect(row).toMatchObject({
			actorId: people.author.id,
			after: { fileName: 'mote-i-peja.jpg', kind: 'image' }
		});
	});

	it('keeps a PDF as it is, under a download name made safe', async () => {
		const pdf = tinyPdf();
		const item = await uploadMedia(h.db, store, people.editor, {
			bytes: pdf,
			fileName: 'Årsrapport 2024.pdf',
			alt: { sv: 'ignoreras för dokument' }
		});
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
		expect(
			await problems(
				uploadMedia(h.db, store, people.author, {
					bytes: textNamedJpg,
					fileName: 'bild.jpg',
					alt: { sv: 'En bild' }
				})
			)
		).toEqual(['file:fileType']);
		expect(
			await problems(
				uploadMedia(h.db, store, people.author, { bytes: null, fileName: '', alt: { sv: 'En bild' } })
			)
		).toEqual(['file:fileMissing']);
		expect(
			await problems(
				uploadMedia(h.db, store, people.author, {
					bytes: await png(100, 100),
					fileName: 'x.png',
					alt: { sv: '   ', en: '' }
				})
			)
		).toEqual(['alt:altRequired']);
		expect(
			await problems(
				uploadMedia(h.db, store, people.author, {
					bytes: await png(100, 100),
					fileName: 'x.png',
					alt: { sv: 'x'.repeat(301) }
				})
			)
		).toEqual(['alt:tooLong']);
		expect((await h.db.select().from(media)).length).toBe(before);
	});

	it('removes the stored files again when the row cannot be written', async () => {
		const filesBefore = readdirSync(dir).length;
		// An actor whose account is gone: the row's reference to the uploader fails in the transaction.
		const ghost = { id: 'no-such-user', role: 'author' as const };
		await expect(
			uploadMedia(h.db, store, ghost, { bytes: await png(700, 300), fileName: 'x.png', alt: { sv: 'Spöke' } })
		).rejects.toThrow();
		expect(readdirSync(dir).length).toBe(filesBefore);
	});

	it('lets staff in and keeps readers and the signed out away', async () => {
		const upload = { bytes: await png(50, 50), fileName: 'x.png', alt: { sv: 'x' } };
		await expect(uploadMedia(h.db, store, people.reader, upload)).rejects.toThrow(ForbiddenError);
		await expect(uploadMedia(h.db, store, null, upload)).rejects.toMatchObject({ signInRequired: true });
		await expect(listMedia(h.db, people.reader)).rejects.toThrow(ForbiddenError);
		await expect(listMedia(h.db, null)).rejects.toMatchObject({ signInRequired: true });
		await expect(setAltText(h.db, people.reader, { id: 1, alt: { sv: 'x' } })).rejects.toThrow(
			ForbiddenError
		);
		await expect(deleteMedia(h.db, store, people.reader, 1)).rejects.toThrow(ForbiddenError);
		// Authors upload and describe, but only editors and admins delete.
		await expect(deleteMedia(h.db, store, people.author, 1)).rejects.toThrow(ForbiddenError);
		expect((await listMedia(h.db, people.author)).total).toBeGreaterThan(0);
	});

	it('edits alt text per language with an audit entry; an image keeps at least one', async () => {
		const item = await uploadMedia(h.db, store, people.author, {
			bytes: await png(400, 300),
			fileName: 'karta.png',
			alt: { sv: 'Karta över Ghanzi' }
		});
		const edited = await setAltText(h.db, people.author, {
			id: String(item.id),
			alt: { sv: 'Karta över Ghanzi', en: 'Map of Ghanzi' }
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
			(await setAltText(h.db, people.editor, { id: item.id, alt: { sv: '', en: 'Map of Ghanzi' } })).alt
		).toEqual({
			en: 'Map of Ghanzi'
		});
		expect(
			await problems(setAltText(h.db, people.editor, { id: item.id, alt: { sv: ' ', en: '' } }))
		).toEqual(['alt:altRequired']);
		expect(await problems(setAltText(h.db, people.editor, { id: 999_999, alt: { sv: 'x' } }))).toEqual([
			'file:unknownMedia'
		]);
		expect(await problems(setAltText(h.db, people.editor, { id: 'abc', alt: { sv: 'x' } }))).toEqual([
			'id:unknownMedia'
		]);
		// Saving the same text again writes no audit row.
		await setAltText(h.db, people.editor, { id: item.id, alt: { en: 'Map of Ghanzi' } });
		expect(await auditRows('media.alt', item.id)).toHaveLength(2);
	});

	it('lists newest first, 20 a page, with a filter for images or documents', async () => {
		for (let i = 0; i < mediaPerPage; i++) {
			await uploadMedia(h.db, store, people.author, {
				bytes: await png(40 + i, 40),
				fileName: `bild-${i}.png`,
				alt: { sv: `Bild ${i}` }
			});
		}
		const first = await listMedia(h.db, people.author, { page: 1 });
		expect(first.items).toHaveLength(mediaPerPage);
		expect(first.items[0]!.fileName).toBe(`bild-${mediaPerPage - 1}.png`);
		expect(first.items[1]!.fileName).toBe(`bild-${mediaPerPage - 2}.png`);
		expect(first.pages).toBe(Math.ceil(first.total / mediaPerPage));
		const second = await listMedia(h.db, people.author, { page: 2 });
		expect(second.items.map((i) => i.id)).not.toContain(first.items.at(-1)!.id);
		expect(second.items.length).toBe(first.total - mediaPerPage);
		const documents = await listMedia(h.db, people.author, { kind: 'document' });
		expect(documents.items.map((i) => i.fileName)).toEqual(['arsrapport-2024.pdf']);
		const images = await listMedia(h.db, people.author, { kind: 'image' });
		expect(images.total).toBe(first.total - 1);
	});

	it('gives the article editor what it needs by storage key, and nothing for unknown keys', async () => {
		const { items } = await listMedia(h.db, people.author, { kind: 'document' });
		const photo = (await listMedia(h.db, people.author, { kind: 'image', page: 2 })).items.at(-1)!;
		const found = await mediaByKeys(h.db, [
			items[0]!.storageKey,
			photo.storageKey,
			'f'.repeat(32),
			'nonsense',
			"'; drop table media;--"
		]);
		expect([...found.keys()].sort()).toEqual([items[0]!.storageKey, photo.storageKey].sort());
		expect(found.get(photo.storageKey)).toEqual({
			kind: 'image',
			alt: { sv: 'Deltagare vid ett möte', en: 'People at a meeting' },
			variants: [320, 640, 800],
			width: 800,
			height: 1200,
			fileName: 'mote-i-peja.jpg'
		});
		expect((await mediaByKeys(h.db, [])).size).toBe(0);
	});

	it('an editor deletes a file: the row, its files and its address go, with an audit entry', async () => {
		const item = await uploadMedia(h.db, store, people.author, {
			bytes: await png(1000, 500),
			fileName: 'bort.png',
			alt: { sv: 'Ska bort' }
		});
		expect(
			await findServedFile(h.db, item.storageKey, imageSrc(item.storageKey, 960).split('/').pop()!)
		).not.toBeNull();
		await deleteMedia(h.db, store, people.editor, String(item.id));
		expect(await h.db.select().from(media).where(eq(media.id, item.id))).toEqual([]);
		expect(readdirSync(dir)).not.toContain(item.storageKey);
		expect(await findServedFile(h.db, item.storageKey, '960.webp')).toBeNull();
		const [row] = await auditRows('media.delete', item.id);
		expect(row).toMatchObject({
			actorId: people.editor.id,
			before: { fileName: 'bort.png', storageKey: item.storageKey }
		});
		expect(await problems(deleteMedia(h.db, store, people.admin, item.id))).toEqual(['file:unknownMedia']);
		const pdf = (await listMedia(h.db, people.admin, { kind: 'document' })).items[0]!;
		expect(documentHref(pdf.storageKey, pdf.fileName)).toBe(`/media/${pdf.storageKey}/arsrapport-2024.pdf`);
		await deleteMedia(h.db, store, people.admin, pdf.id);
		expect(readdirSync(dir)).not.toContain(pdf.storageKey);
	});

	it('serves nothing for malformed addresses', async () => {
		const { items } = await listMedia(h.db, people.author);
		const key = items[0]!.storageKey;
		for (const [k, file] of [
			[key, '0320.webp'],
			[key, '320.png'],
			[key, '../320.webp'],
			[key.toUpperCase(), '320.webp'],
			['x'.repeat(32), '320.webp'],
			[key, '321.webp'],
			[key, 'Rapport.PDF']
		] as const) {
			expect(await findServedFile(h.db, k, file), `${k}/${file}`).toBeNull();
		}
	});
});
