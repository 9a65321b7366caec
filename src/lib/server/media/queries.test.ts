import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../test/databases.ts';
import { anActor, type TestActor } from '../test/actors.ts';
import { aDocument, aMediaStore, anImage } from '../test/factories/media.ts';
import type { DatabaseHandle } from '../kernel/database.ts';
import { ValidationError } from '../kernel/errors.ts';
import { readQuery } from '../kernel/input.ts';
import { documentHref } from '#lib/media-urls.ts';
import { findServedFile, listMedia, mediaByKeys, mediaPerPage } from './queries.ts';
import { libraryQuery } from './input.ts';
import type { MediaStore } from './store.ts';

describe.each(testDatabases)('reading the media library on $name', (database) => {
	let h: DatabaseHandle;
	let store: MediaStore;
	let removeStore: () => void;
	let author: TestActor;

	beforeAll(async () => {
		h = await database.open();
		({ store, remove: removeStore } = aMediaStore());
		author = await anActor(h.db, 'author');
		await aDocument(h.db, store, author, { fileName: 'Årsrapport 2024.pdf' });
		await anImage(h.db, store, author, {
			width: 1200,
			height: 800,
			fileName: 'mote-i-peja.png',
			alt: { sv: 'Deltagare vid ett möte', en: 'People at a meeting' }
		});
		for (let i = 0; i < mediaPerPage; i++) {
			await anImage(h.db, store, author, {
				width: 40 + i,
				height: 40,
				fileName: `bild-${i}.png`,
				alt: { sv: `Bild ${i}` }
			});
		}
	});
	afterAll(async () => {
		await h?.close();
		removeStore?.();
	});

	it('lists newest first, 20 a page, with a filter for images or documents', async () => {
		const first = await listMedia(h.db, author, { page: 1 });
		expect(first.items).toHaveLength(mediaPerPage);
		expect(first.items[0]!.fileName).toBe(`bild-${mediaPerPage - 1}.png`);
		expect(first.items[1]!.fileName).toBe(`bild-${mediaPerPage - 2}.png`);
		expect(first.items[0]!.createdByName).toBe(author.name);
		expect(first.pages).toBe(Math.ceil(first.total / mediaPerPage));
		const second = await listMedia(h.db, author, { page: 2 });
		expect(second.items.map((i) => i.id)).not.toContain(first.items.at(-1)!.id);
		expect(second.items.length).toBe(first.total - mediaPerPage);
		const documents = await listMedia(h.db, author, { kind: 'document' });
		expect(documents.items.map((i) => i.fileName)).toEqual(['arsrapport-2024.pdf']);
		const images = await listMedia(h.db, author, { kind: 'image' });
		expect(images.total).toBe(first.total - 1);
	});

	it('reads the library page’s query with the kernel’s rules, naming each bad parameter', () => {
		const read = (q: string) => readQuery(new URLSearchParams(q), libraryQuery, 'media');
		expect(read('page=2&kind=image&utm_source=x')).toEqual({ page: 2, kind: 'image' });
		expect(read('')).toEqual({});
		const refused = (q: string) => {
			try {
				read(q);
			} catch (e) {
				expect(e).toBeInstanceOf(ValidationError);
				return (e as ValidationError).problems.map((p) => `${p.field}:${String(p.code)}`);
			}
			throw new Error(`${q} was accepted`);
		};
		expect(refused('page=0&kind=video')).toEqual(['page:invalidPage', 'kind:invalidKind']);
		expect(refused('page=1&page=2')).toEqual(['page:repeated']);
		expect(refused('page=1001')).toEqual(['page:invalidPage']);
	});

	it('gives the article editor what it needs by storage key, and nothing for unknown keys', async () => {
		const { items: documents } = await listMedia(h.db, author, { kind: 'document' });
		const photo = (await listMedia(h.db, author, { kind: 'image', page: 2 })).items.at(-1)!;
		const found = await mediaByKeys(h.db, [
			documents[0]!.storageKey,
			photo.storageKey,
			'f'.repeat(32),
			'nonsense',
			"'; drop table media;--"
		]);
		expect([...found.keys()].sort()).toEqual([documents[0]!.storageKey, photo.storageKey].sort());
		expect(found.get(photo.storageKey)).toEqual({
			kind: 'image',
			alt: { sv: 'Deltagare vid ett möte', en: 'People at a meeting' },
			variants: [320, 640, 960, 1200],
			width: 1200,
			height: 800,
			fileName: 'mote-i-peja.png'
		});
		expect((await mediaByKeys(h.db, [])).size).toBe(0);
	});

	it('serves an image’s widths and a document under its own name, and nothing for malformed addresses', async () => {
		const photo = (await listMedia(h.db, author, { kind: 'image', page: 2 })).items.at(-1)!;
		const key = photo.storageKey;
		expect(await findServedFile(h.db, key, '320.webp')).toEqual({
			mediaId: photo.id,
			origin: 'library',
			objectKey: `${key}/320.webp`,
			contentType: 'image/webp',
			downloadName: null,
			etag: `"${key}-320.webp"`
		});
		const pdf = (await listMedia(h.db, author, { kind: 'document' })).items[0]!;
		expect(documentHref(pdf.storageKey, pdf.fileName)).toBe(`/media/${pdf.storageKey}/arsrapport-2024.pdf`);
		expect(await findServedFile(h.db, pdf.storageKey, 'arsrapport-2024.pdf')).toMatchObject({
			objectKey: `${pdf.storageKey}/document.pdf`,
			contentType: 'application/pdf',
			downloadName: 'arsrapport-2024.pdf'
		});
		for (const [k, file] of [
			[key, '0320.webp'],
			[key, '320.png'],
			[key, '../320.webp'],
			[key.toUpperCase(), '320.webp'],
			['x'.repeat(32), '320.webp'],
			['f'.repeat(32), '320.webp'],
			[key, '321.webp'],
			[key, 'document.pdf'],
			[pdf.storageKey, 'Rapport.PDF'],
			[pdf.storageKey, 'document.pdf'],
			[pdf.storageKey, '320.webp']
		] as const) {
			expect(await findServedFile(h.db, k, file), `${k}/${file}`).toBeNull();
		}
	});
});
