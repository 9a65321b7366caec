import type { Database } from '../../kernel/database.ts';
import type { Actor } from '../../kernel/policy.ts';
import type { Replaced } from '../commands.ts';
import { applyIati, isXmlFile, previewIati } from '../iati/preview.ts';
import { applySpreadsheet, previewSpreadsheet } from './commands.ts';
import type { Preview } from './diff.ts';

// The import page's one form takes a spreadsheet (CSV, XLSX) or an IATI activity file (XML),
// told apart by the file's first bytes, never by its name; both preview in one shape.

/** The preview of an upload: a new file, or the one a preview carried (base64) with its IATI activity chosen. */
export async function previewUpload(
	db: Database,
	actor: Actor,
	slug: string,
	file: File | string,
	activity?: number
): Promise<Preview> {
	const bytes =
		typeof file === 'string'
			? new Uint8Array(Buffer.from(file, 'base64'))
			: new Uint8Array(await file.arrayBuffer());
	if (isXmlFile(bytes)) return previewIati(db, actor, slug, bytes, activity);
	return previewSpreadsheet(db, actor, slug, new File([bytes], 'upload'));
}

/** Saves a previewed upload of either kind (what the preview carried in its hidden fields). */
export async function applyUpload(
	db: Database,
	actor: Actor,
	slug: string,
	form: { sheet: string; version: string; activity?: number }
): Promise<Replaced> {
	const head = new Uint8Array(Buffer.from(form.sheet.slice(0, 64), 'base64'));
	if (isXmlFile(head)) return applyIati(db, actor, slug, form);
	return applySpreadsheet(db, actor, slug, form);
}
