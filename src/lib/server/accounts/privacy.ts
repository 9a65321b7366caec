import { and, eq } from 'drizzle-orm';
import { verifyPassword } from 'better-auth/crypto';
import type { Database } from '../kernel/database.ts';
import { audit } from '../kernel/audit.ts';
import { auditLog } from '../kernel/schema.ts';
import { ValidationError } from '../kernel/errors.ts';
import { authorize, type Actor } from '../kernel/policy.ts';
import { account, session, twoFactor, user, verification } from './schema.ts';
import { article } from '../content/schema.ts';
import { media } from '../media/schema.ts';
import { accountsPolicy } from './policy.ts';

/** Everything stored about the actor, as one JSON document (GDPR art. 15 and 20). Never secrets. */
export async function exportUserData(db: Database, actor: Actor) {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const [profile] = await db.select().from(user).where(eq(user.id, actor.id));
	const sessions = await db.select().from(session).where(eq(session.userId, actor.id));
	const events = await db.select().from(auditLog).where(eq(auditLog.actorId, actor.id));
	// What they wrote and uploaded: kept after a deletion, but theirs to see.
	const articles = await db
		.select({ slug: article.slug, status: article.status, createdAt: article.createdAt })
		.from(article)
		.where(eq(article.authorId, actor.id));
	const uploads = await db
		.select({ fileName: media.fileName, kind: media.kind, createdAt: media.createdAt })
		.from(media)
		.where(eq(media.createdBy, actor.id));
	const twoFactorRows = await db
		.select({ id: twoFactor.id })
		.from(twoFactor)
		.where(eq(twoFactor.userId, actor.id));
	return {
		exportedAt: new Date().toISOString(),
		profile: profile && {
			id: profile.id,
			name: profile.name,
			email: profile.email,
			emailVerified: profile.emailVerified,
			role: profile.role,
			locale: profile.locale,
			twoFactorEnabled: !!profile.twoFactorEnabled,
			createdAt: profile.createdAt,
			updatedAt: profile.updatedAt
		},
		// Times, addresses and browsers of sign-ins; the tokens themselves are left out.
		sessions: sessions.map((s) => ({
			createdAt: s.createdAt,
			lastActive: s.updatedAt,
			expiresAt: s.expiresAt,
			ipAddress: s.ipAddress,
			userAgent: s.userAgent
		})),
		twoFactor: { enrolled: twoFactorRows.length > 0 },
		activity: events.map((e) => ({ at: e.at, action: e.action, subject: e.subject, ip: e.ip })),
		articles,
		uploads
	};
}

/**
 * Deletes the actor's account after checking the password: sessions, password, second factor and
 * personal fields go in one transaction. The user row stays, nameless, so that what they wrote is
 * kept and shown as by a deleted user.
 */
export async function deleteOwnAccount(db: Database, actor: Actor, password: string): Promise<void> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const [credential] = await db
		.select({ hash: account.password })
		.from(account)
		.where(and(eq(account.userId, actor.id), eq(account.providerId, 'credential')));
	if (!credential?.hash || !(await verifyPassword({ hash: credential.hash, password }))) {
		throw new ValidationError([{ field: 'password', code: 'wrongPassword' }], 'accounts');
	}
	await db.transaction(async (tx) => {
		const [before] = await tx.select({ email: user.email }).from(user).where(eq(user.id, actor.id));
		await tx.delete(session).where(eq(session.userId, actor.id));
		await tx.delete(account).where(eq(account.userId, actor.id));
		await tx.delete(twoFactor).where(eq(twoFactor.userId, actor.id));
		if (before) await tx.delete(verification).where(eq(verification.identifier, before.email));
		await tx
			.update(user)
			.set({
				name: '',
				email: `deleted-${actor.id}@invalid`,
				emailVerified: false,
				image: null,
				role: 'reader',
				banned: true,
				banReason: 'deleted',
				twoFactorEnabled: false
			})
			.where(eq(user.id, actor.id));
		await audit(tx, { actorId: actor.id, action: 'user.delete-own-account', subject: `user:${actor.id}` });
	});
}
