import { z } from 'zod';
import { fields, type Shape } from '../../kernel/input.ts';
import { maxIatiBytes } from '../iati/import.ts';
import { maxSpreadsheetBytes } from './files.ts';

/** The upload: a CSV or XLSX file, or an IATI activity file (what it is, is read from its bytes: upload.ts). */
export const uploadShape = { spreadsheet: fields.file };

/** The file the preview carried (base64, so the page needs no storage and works without JavaScript). */
const carried = z
	.string('sheetMissing')
	.max(Math.ceil((Math.max(maxSpreadsheetBytes, maxIatiBytes) * 4) / 3) + 4, 'sheetTooLarge')
	.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'sheetMissing');

/** Which of an IATI file's activities: its position among them (1, 2 …). */
const activity = z
	.string('unknownActivity')
	.regex(/^[1-9]\d{0,3}$/, 'unknownActivity')
	.transform(Number);

/** The same file again with one of its IATI activities chosen. */
export const chooseShape = { sheet: carried, activity };

/**
 * Saving what the preview showed: the file again, the fingerprint of the framework the preview
 * was made against, and for an IATI file the activity it showed.
 */
export const applyShape = {
	sheet: carried,
	version: z.string('sheetChanged').regex(/^[0-9a-f]{32}$/, 'sheetChanged'),
	activity: activity.optional()
};

/** A count the import carries to the results page. */
const count = z
	.string('invalid')
	.regex(/^(0|[1-9]\d{0,5})$/, 'invalid')
	.transform(Number);

/**
 * The results page after an import (`?imported=<results>&indicators=<indicators>`): how many
 * results and indicators the framework holds now, for the page to say so.
 */
export const importedQuery = { imported: count.optional(), indicators: count.optional() } satisfies Shape;
