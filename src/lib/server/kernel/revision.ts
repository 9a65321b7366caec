import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './database.ts';
import { contentRevision } from './schema.ts';

/** Call inside a content write's transaction: other instances will see the change. */
export async function bumpRevision(tx: Transaction | Database): Promise<void> {
	await tx
		.insert(contentRevision)
		.values({ id: 1, revision: 1 })
		.onConflictDoUpdate({
			target: contentRevision.id,
			set: { revision: sql`${contentRevision.revision} + 1` }
		});
}

/** The current revision (polled by the app; see db/app.ts). */
export async function readRevision(db: Database): Promise<string> {
	const [row] = await db.select({ revision: contentRevision.revision }).from(contentRevision);
	return String(row?.revision ?? 0);
}
