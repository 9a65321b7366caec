import { sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from './database.ts';

/**
 * A correlated subquery as a typed select field. Inside a `sql` field of a select from one table,
 * Drizzle writes that table's columns without their table name; wrapping the subquery in
 * parentheses here, and naming every column through its table object, keeps each one qualified.
 */
export const subquery = <T>(query: SQL): SQL<T> => sql<T>`(${query})`;

/**
 * Runs independent reads: at once on a pool (each takes its own connection), one after another
 * in a transaction (one connection: node-postgres queues them anyway, and warns that it will stop).
 */
export async function reads<T extends readonly unknown[]>(
	db: Database | Transaction,
	...runs: { [K in keyof T]: () => PromiseLike<T[K]> }
): Promise<T> {
	if (!(db instanceof PgTransaction)) return Promise.all(runs.map((run) => run())) as unknown as Promise<T>;
	const out: unknown[] = [];
	for (const run of runs) out.push(await run());
	return out as unknown as T;
}
