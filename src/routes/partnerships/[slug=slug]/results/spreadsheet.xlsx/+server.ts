import type { RequestHandler } from './$types';
import { forPage } from '#lib/server/kernel/http.ts';
import { db } from '#lib/server/app/database.ts';
import { spreadsheetXlsx } from '#lib/server/results/spreadsheet/commands.ts';

// The framework is public, so its spreadsheet is too.
export const GET: RequestHandler = ({ locals, params }) =>
	forPage(locals.locale, async () => spreadsheetXlsx(await db(), params.slug));
