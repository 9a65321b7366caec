import type { Database, Transaction } from './database.ts';
import { auditLog } from './schema.ts';

export interface AuditEntry {
	actorId: string | null;
	action: string;
	subject?: string;
	before?: unknown;
	after?: unknown;
	ip?: string | null;
}

/** Writes one audit row; call it inside the transaction of the change it records. */
export async function audit(tx: Transaction | Database, entry: AuditEntry): Promise<void> {
	await tx.insert(auditLog).values({
		actorId: entry.actorId,
		action: entry.action,
		subject: entry.subject ?? null,
		before: entry.before ?? null,
		after: entry.after ?? null,
		ip: entry.ip ?? null
	});
}
