import { bigint, pgTable, smallint } from 'drizzle-orm/pg-core';

/**
 * One row whose number every content write raises in its own transaction. Each app instance
 * polls it, so caches in every instance notice a publication made by another.
 */
export const contentRevision = pgTable('content_revision', {
	id: smallint('id').primaryKey().default(1),
	revision: bigint('revision', { mode: 'number' }).notNull().default(0)
});
