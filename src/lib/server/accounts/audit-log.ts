import { desc, eq } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { user } from './schema.ts';
import { accountsPolicy } from './policy.ts';

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
	authorize(actor, accountsPolicy.readAuditLog);
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
