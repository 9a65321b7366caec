import { eq } from 'drizzle-orm';
import type { Database } from '../../kernel/database.ts';
import { auditLog } from '../../kernel/schema.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { article } from '../../content/schema.ts';
import { media } from '../../media/schema.ts';
import {
	dialogueComment,
	dialogueFlag,
	dialogueFollow,
	dialogueSpace,
	proposal,
	proposalSupport,
	residentVerification
} from '../../dialogue/schema.ts';
import { organization } from '../../organizations/schema.ts';
import { session, twoFactor, user } from '../schema.ts';
import { accountsPolicy } from '../policy.ts';
import { isLocale, type Locale } from '#lib/i18n/index.ts';
import type { NotificationMail } from '../input.ts';
import { userDataOf, type DialogueData, type UserData } from '../views.ts';

/** One's settings as the account page shows them in its form. */
export interface OwnSettings {
	name: string;
	email: string;
	locale: Locale;
	notificationMail: NotificationMail;
}

/** The actor's name, address, language and how notifications come. */
export async function ownSettings(db: Database, actor: Actor): Promise<OwnSettings> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const [row] = await db
		.select({
			name: user.name,
			email: user.email,
			locale: user.locale,
			notificationMail: user.notificationMail
		})
		.from(user)
		.where(eq(user.id, actor.id));
	if (!row) throw new Error('A signed-in user without a row');
	return { ...row, locale: isLocale(row.locale) ? row.locale : 'sv' };
}

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The actor's input in the dialogues, each list one indexed read (by author or by participant),
 * with the space's address joined in.
 */
async function dialogueDataOf(db: Database, userId: string): Promise<DialogueData> {
	const [proposals, supports, comments, flags, follows, verifications] = await Promise.all([
		db
			.select({
				id: proposal.id,
				space: dialogueSpace.slug,
				title: proposal.title,
				body: proposal.body,
				language: proposal.language,
				placeName: proposal.placeName,
				status: proposal.status,
				supportCount: proposal.supportCount,
				createdAt: proposal.createdAt,
				editedAt: proposal.editedAt
			})
			.from(proposal)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
			.where(eq(proposal.authorId, userId))
			.orderBy(proposal.createdAt),
		db
			.select({
				proposal: proposalSupport.proposalId,
				space: dialogueSpace.slug,
				title: proposal.title,
				createdAt: proposalSupport.createdAt
			})
			.from(proposalSupport)
			.innerJoin(proposal, eq(proposal.id, proposalSupport.proposalId))
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
			.where(eq(proposalSupport.userId, userId))
			.orderBy(proposalSupport.createdAt),
		db
			.select({
				id: dialogueComment.id,
				space: dialogueSpace.slug,
				proposal: dialogueComment.proposalId,
				body: dialogueComment.body,
				stance: dialogueComment.stance,
				createdAt: dialogueComment.createdAt,
				editedAt: dialogueComment.editedAt,
				deletedAt: dialogueComment.deletedAt
			})
			.from(dialogueComment)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueComment.spaceId))
			.where(eq(dialogueComment.authorId, userId))
			.orderBy(dialogueComment.createdAt),
		db
			.select({
				space: dialogueSpace.slug,
				proposal: dialogueFlag.proposalId,
				comment: dialogueFlag.commentId,
				reason: dialogueFlag.reason,
				createdAt: dialogueFlag.createdAt
			})
			.from(dialogueFlag)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueFlag.spaceId))
			.where(eq(dialogueFlag.userId, userId))
			.orderBy(dialogueFlag.createdAt),
		db
			.select({
				space: dialogueSpace.slug,
				proposal: dialogueFollow.proposalId,
				createdAt: dialogueFollow.createdAt
			})
			.from(dialogueFollow)
			.leftJoin(dialogueSpace, eq(dialogueSpace.id, dialogueFollow.spaceId))
			.where(eq(dialogueFollow.userId, userId))
			.orderBy(dialogueFollow.createdAt),
		// Where they are a verified resident, and how; never the keyed code of who they proved to be.
		db
			.select({
				organization: organization.slug,
				method: residentVerification.method,
				verifiedAt: residentVerification.verifiedAt
			})
			.from(residentVerification)
			.innerJoin(organization, eq(organization.id, residentVerification.organizationId))
			.where(eq(residentVerification.userId, userId))
			.orderBy(residentVerification.verifiedAt)
	]);
	return {
		proposals: proposals.map((p) => ({ ...p, createdAt: iso(p.createdAt), editedAt: isoOrNull(p.editedAt) })),
		supports: supports.map((s) => ({ ...s, createdAt: iso(s.createdAt) })),
		comments: comments.map((c) => ({
			...c,
			// A comment deleted by its author keeps its row for the thread; its text is still theirs.
			createdAt: iso(c.createdAt),
			editedAt: isoOrNull(c.editedAt),
			deletedAt: isoOrNull(c.deletedAt)
		})),
		flags: flags.map((f) => ({ ...f, createdAt: iso(f.createdAt) })),
		follows: follows.map((f) => ({ ...f, createdAt: iso(f.createdAt) })),
		verifications: verifications.map((v) => ({ ...v, verifiedAt: iso(v.verifiedAt) }))
	};
}

/** Everything stored about the actor, as one JSON document (views.ts). Never secrets. */
export async function exportUserData(db: Database, actor: Actor): Promise<UserData> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	const [profile] = await db
		.select({
			id: user.id,
			name: user.name,
			email: user.email,
			emailVerified: user.emailVerified,
			role: user.role,
			locale: user.locale,
			notificationMail: user.notificationMail,
			twoFactorEnabled: user.twoFactorEnabled,
			createdAt: user.createdAt,
			updatedAt: user.updatedAt
		})
		.from(user)
		.where(eq(user.id, actor.id));
	const sessions = await db
		.select({
			createdAt: session.createdAt,
			updatedAt: session.updatedAt,
			expiresAt: session.expiresAt,
			ipAddress: session.ipAddress,
			userAgent: session.userAgent
		})
		.from(session)
		.where(eq(session.userId, actor.id));
	const activity = await db
		.select({ at: auditLog.at, action: auditLog.action, subject: auditLog.subject, ip: auditLog.ip })
		.from(auditLog)
		.where(eq(auditLog.actorId, actor.id));
	const articles = await db
		.select({ slug: article.slug, status: article.status, createdAt: article.createdAt })
		.from(article)
		.where(eq(article.authorId, actor.id));
	const uploads = await db
		.select({ fileName: media.fileName, kind: media.kind, createdAt: media.createdAt })
		.from(media)
		.where(eq(media.createdBy, actor.id));
	const enrolled = await db
		.select({ id: twoFactor.id })
		.from(twoFactor)
		.where(eq(twoFactor.userId, actor.id))
		.limit(1);
	return userDataOf({
		profile,
		sessions,
		twoFactorEnrolled: enrolled.length > 0,
		activity,
		articles,
		uploads,
		dialogue: await dialogueDataOf(db, actor.id)
	});
}
