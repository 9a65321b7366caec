import { sql, type SQL } from 'drizzle-orm';

/**
 * A correlated subquery as a typed select field. Inside a `sql` field of a select from one table,
 * Drizzle writes that table's columns without their table name; wrapping the subquery in
 * parentheses here, and naming every column through its table object, keeps each one qualified.
 */
export const subquery = <T>(query: SQL): SQL<T> => sql<T>`(${query})`;
