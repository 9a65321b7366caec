import type { Database } from '../kernel/database.ts';
import { listInspiration, type InspirationPage } from './queries.ts';
import { checkFilterTags } from '../taxonomy/known.ts';
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
	await checkFilterTags(db, filter);
	return { filter, result: await listInspiration(db, locale, filter, perPage) };
}
