import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { Database } from '../kernel/database.ts';
import { auditLog } from '../kernel/schema.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { session, user, type Role } from './schema.ts';
import { accountsPolicy } from './policy.ts';
import Bowser from 'bowser';

/** A person in the admin's user list. */
export interface UserRow {
	id: string;
	name: string;
	email: string;
	role: Role;
	emailVerified: boolean;
	twoFactorEnabled: boolean;
	disabled: boolean;
	createdAt: string;
}

/** Everyone with an account, for the admin's user list. */
export async function listUsers(db: Database, actor: Actor): Promise<UserRow[]> {
	authorize(actor, accountsPolicy.manageUsers);
	const rows = await db
		.select({
			id: user.id,
			name: user.name,
			email: user.email,
			role: user.role,
			emailVerified: user.emailVerified,
			twoFactorEnabled: user.twoFactorEnabled,
			banned: user.banned,
			createdAt: user.createdAt
		})
		.from(user)
		.orderBy(asc(user.name), asc(user.email));
	return rows.map((u) => ({
		id: u.id,
		name: u.name,
		email: u.email,
		role: u.role ?? 'reader',
		emailVerified: u.emailVerified,
		twoFactorEnabled: !!u.twoFactorEnabled,
		disabled: !!u.banned,
		createdAt: u.createdAt.toISOString()
	}));
}

/** One event of the audit log as the admin reads it. */
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

/** Events a page of the audit log shows. */
export const auditPerPage = 50;

/** The log, newest first, 50 a page, with the actor's name where there is one. */
export async function listAuditLog(
	db: Database,
	actor: Actor,
	page = 1
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
		.limit(auditPerPage + 1)
		.offset((page - 1) * auditPerPage);
	return {
		rows: rows.slice(0, auditPerPage).map((r) => ({ ...r, at: r.at.toISOString() })),
		hasMore: rows.length > auditPerPage
	};
}

/** One of a person's own sessions, as the account page lists them: never the token. */
export interface OwnSession {
	id: string;
	/** The session this request came with. */
	current: boolean;
	userAgent: string | null;
	/** What bowser recognises in the user agent ("Chrome", "Linux"), else null. */
	browser: string | null;
	system: string | null;
	ipAddress: string | null;
	createdAt: string;
	updatedAt: string;
}

/** The actor's sessions that have not expired: this one first, then the most recently active. */
export async function listOwnSessions(
	db: Database,
	actor: Actor,
	currentSessionId: string | undefined
): Promise<OwnSession[]> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const rows = await db
		.select({
			id: session.id,
			userAgent: session.userAgent,
			ipAddress: session.ipAddress,
			createdAt: session.createdAt,
			updatedAt: session.updatedAt
		})
		.from(session)
		.where(and(eq(session.userId, actor.id), gt(session.expiresAt, new Date())))
		.orderBy(desc(session.updatedAt), desc(session.id));
	return rows
		.map((s) => ({
			id: s.id,
			current: s.id === currentSessionId,
			userAgent: s.userAgent,
			...deviceOf(s.userAgent),
			ipAddress: s.ipAddress,
			createdAt: s.createdAt.toISOString(),
			updatedAt: s.updatedAt.toISOString()
		}))
		.sort((a, b) => Number(b.current) - Number(a.current));
}

/** The browser and system a user agent names, as people know them (bowser's names). */
function deviceOf(userAgent: string | null): { browser: string | null; system: string | null } {
	if (!userAgent) return { browser: null, system: null };
	const parsed = Bowser.parse(userAgent);
	return { browser: parsed.browser.name || null, system: parsed.os.name || null };
}

// Settings and the data download: own-account/queries.ts.
