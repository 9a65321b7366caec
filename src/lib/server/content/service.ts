import type { Database } from '../db/index.ts';
import { ValidationError, type FieldProblem } from '../core/errors.ts';
import { filterValuesExist, listInspiration, type InspirationPage } from './queries.ts';
import { pageSize, parseInspirationFilter, type InspirationFilter } from './validation.ts';

/**
 * The inspiration listing from a query string, as the page and the API ask for it: parse, check
 * that a named theme or target exists (a clear 400 rather than an empty list), then list.
 */
export async function findInspiration(
	db: Database,
	locale: string,
	params: URLSearchParams,
	perPage = pageSize
): Promise<{ filter: InspirationFilter; result: InspirationPage }> {
	const filter = parseInspirationFilter(params);
	const exists = await filterValuesExist(db, filter.theme, filter.target);
	const problems: FieldProblem[] = [];
	if (!exists.theme) problems.push({ field: 'theme', code: 'invalidTheme' });
	if (!exists.target) problems.push({ field: 'sdg', code: 'unknownTarget' });
	if (problems.length) throw new ValidationError(problems);
	return { filter, result: await listInspiration(db, locale, filter, perPage) };
}
