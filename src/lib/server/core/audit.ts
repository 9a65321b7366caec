import type { Database, Transaction } from '../db/index.ts';
import { desc, eq } from 'drizzle-orm';
import { auditLog } from './schema.ts';
import { user } from '../accounts/schema.ts';
import { authorize, workspace, type Actor } from './permissions.ts';

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

export interface AuditRow {
	id: number;
	at: string;
	actorName: string | null;
	action: string;
	subject: string | null;
	before: unknown;
	after: unknown;
	ip: string | null;
}

const perPage = 50;

/** The log, newest first, 50 a page, with the actor's name where there is one. */
export async function listAuditLog(
	db: Database,
	actor: Actor,
	page: number
): Promise<{ rows: AuditRow[]; hasMore: boolean }> {
	authorize(actor, workspace.readAuditLog);
	const rows = await db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			actorName: user.name,
			action: auditLog.action,
			subject: auditLog.subject,
			before: auditLog.before,
			after: auditLog.after,
			ip: auditLog.ip
		})
		.from(auditLog)
		.leftJoin(user, eq(user.id, auditLog.actorId))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(perPage + 1)
		.offset((page - 1) * perPage);
	return {
		rows: rows.slice(0, perPage).map((r) => ({ ...r, at: r.at.toISOString() })),
		hasMore: rows.length > perPage
	};
}
