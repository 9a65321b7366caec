import { sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from './database.ts';

/**
 * A correlated subquery as a typed select field. Inside a `sql` field of a select from one table,
 * Drizzle writes that table's columns without their table name; wrapping the subquery in
 * parentheses here, and naming every column through its table object, keeps each one qualified.
 */
export const subquery = <T>(query: SQL): SQL<T> => sql<T>`(${query})`;

/**
 * `id = any(ids)` for a kept statement, the ids (integers) out of the planner's sight. Seeing
 * them, PostgreSQL judges a plan for each run's values cheaper than the kept one and plans every
 * run anew: the site search's passages 0.98 → 0.52 ms on PGlite, which plans slowly.
 */
export const isAnyOf = (id: SQLWrapper, ids: Placeholder): SQL =>
	sql`${id} = any(((select ${ids}::int[]))::int[])`;

/**
 * A read written once per database and shape, then run with its values. Drizzle writes a
 * statement's text from its parts on every run, and its type checks walk each part's classes: for
 * the site search's six statements a fifth of the server's CPU (6.27 → 4.99 ms a search once
 * built) and a third of what it allocated. `build` makes the statement from `sql.placeholder`s and
 * ends with `.prepare('')` (unnamed: kernel/prepared.ts names what it keeps); `shape` is what
 * changes the text (how many words), and nothing else may. It runs on the database it was built
 * on, never inside a transaction.
 */
export function builtOnce<Q, S extends number | string = ''>(
	build: (db: Database, shape: S) => Q
): (db: Database, shape?: S) => Q {
	const built = new WeakMap<Database, Map<S, Q>>();
	return (db, shape = '' as S) => {
		let byShape = built.get(db);
		if (!byShape) built.set(db, (byShape = new Map()));
		let statement = byShape.get(shape);
		if (!statement) byShape.set(shape, (statement = build(db, shape)));
		return statement;
	};
}

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
