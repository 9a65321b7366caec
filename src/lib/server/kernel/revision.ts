import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './database.ts';
import { contentRevision } from './schema.ts';

/** The channel a new content revision is announced on (PostgreSQL LISTEN/NOTIFY). */
export const revisionChannel = 'content_revision';

/**
 * Call inside a content write's transaction: other instances will see the change. The new
 * revision is announced in the same transaction, so listeners hear of it when (and only if) it
 * commits; the poll picks it up where nobody listens.
 */
export async function bumpRevision(tx: Transaction | Database): Promise<void> {
	const [row] = await tx
		.insert(contentRevision)
		.values({ id: 1, revision: 1 })
		.onConflictDoUpdate({
			target: contentRevision.id,
			set: { revision: sql`${contentRevision.revision} + 1` }
		})
		.returning({ revision: contentRevision.revision });
	await tx.execute(sql`select pg_notify(${revisionChannel}, ${String(row!.revision)})`);
}

/** The current revision (polled by the app; see app/database.ts). */
export async function readRevision(db: Database): Promise<string> {
	const [row] = await db.select({ revision: contentRevision.revision }).from(contentRevision);
	return String(row?.revision ?? 0);
}
