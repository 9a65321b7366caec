import type { SQL } from 'drizzle-orm';
import type { Database, Transaction } from './database.ts';

/** Runs raw SQL and returns its rows, the same on PGlite and node-postgres. */
export async function rows<T>(db: Database | Transaction, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown as { rows: T[] };
	return result.rows;
}
