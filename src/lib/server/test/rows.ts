import type { SQL } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';

/** The rows of a raw query: both drivers answer `execute` with `{ rows }`. */
export async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
	return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
