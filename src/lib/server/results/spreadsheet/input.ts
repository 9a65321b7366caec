import { z } from 'zod';
import { fields } from '../../kernel/input.ts';
import { maxSpreadsheetBytes } from './files.ts';

/** The upload: a CSV or XLSX file (what it is, is read from its bytes: files.ts). */
export const uploadShape = { spreadsheet: fields.file };

/**
 * Saving what the preview showed: the file again (base64, so the page needs no storage and works
 * without JavaScript) and the fingerprint of the framework the preview was made against.
 */
export const applyShape = {
	sheet: z
		.string('sheetMissing')
		.max(Math.ceil((maxSpreadsheetBytes * 4) / 3) + 4, 'sheetTooLarge')
		.regex(/^[A-Za-z0-9+/]+={0,2}$/, 'sheetMissing'),
	version: z.string('sheetChanged').regex(/^[0-9a-f]{32}$/, 'sheetChanged')
};
