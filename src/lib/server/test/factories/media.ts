import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import { addToLibrary } from '../../media/commands.ts';
import type { MediaItem } from '../../media/queries.ts';
import { localStore, type MediaStore } from '../../media/store.ts';
import { png, tinyPdf } from '../../media/test-files.ts';

/** A media store on local disk in a temporary folder; `remove()` when the tests are done. */
export function aMediaStore(): { store: MediaStore; dir: string; remove(): void } {
	const dir = mkdtempSync(path.join(tmpdir(), 'media-test-'));
	return { store: localStore(dir), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An image in the library (a PNG of the given size), uploaded by `actor` (or the platform). */
export async function anImage(
	db: Database,
	store: MediaStore,
	actor: Actor,
	options: { width?: number; height?: number; fileName?: string; alt?: Partial<Record<string, string>> } = {}
): Promise<MediaItem> {
	return addToLibrary(db, store, actor, {
		bytes: await png(options.width ?? 400, options.height ?? 300),
		fileName: options.fileName ?? 'bild.png',
		alt: options.alt ?? { sv: 'En bild' }
	});
}

/** A PDF in the library, uploaded by `actor` (or the platform). */
export async function aDocument(
	db: Database,
	store: MediaStore,
	actor: Actor,
	options: { fileName?: string; text?: string } = {}
): Promise<MediaItem> {
	return addToLibrary(db, store, actor, {
		bytes: tinyPdf(options.text),
		fileName: options.fileName ?? 'rapport.pdf',
		alt: {}
	});
}
