import { eq } from 'drizzle-orm';
import type { PgColumn, SelectedFields } from 'drizzle-orm/pg-core';
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
import { organization, organizationAccessRequest, organizationMember } from '../../organizations/schema.ts';
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

/** A row with its dates as ISO 8601 texts, as the download gives them. */
type WithIsoDates<T> = {
	[K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};
const isoDates = <T extends object>(row: T) =>
	Object.fromEntries(
		Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])
	) as WithIsoDates<T>;

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
		// A comment deleted by its author keeps its row for the thread; its text is still theirs.
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
		proposals: proposals.map(isoDates),
		supports: supports.map(isoDates),
		comments: comments.map(isoDates),
		flags: flags.map(isoDates),
		follows: follows.map(isoDates),
		verifications: verifications.map(isoDates)
	};
}

/** Everything stored about the actor, as one JSON document (views.ts). Never secrets. */
export async function exportUserData(db: Database, actor: Actor): Promise<UserData> {
	authorize(actor, accountsPolicy.manageOwnAccount);
	/** These fields of the rows whose `owner` column names the actor. */
	const theirs = <F extends SelectedFields>(fields: F, owner: PgColumn) =>
		db.select(fields).from(owner.table).where(eq(owner, actor.id));
	const [[profile], sessions, activity, articles, uploads, enrolled, dialogue] = await Promise.all([
		theirs(
			{
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
			},
			user.id
		),
		theirs(
			{
				createdAt: session.createdAt,
				updatedAt: session.updatedAt,
				expiresAt: session.expiresAt,
				ipAddress: session.ipAddress,
				userAgent: session.userAgent
			},
			session.userId
		),
		theirs(
			{ at: auditLog.at, action: auditLog.action, subject: auditLog.subject, ip: auditLog.ip },
			auditLog.actorId
		),
		theirs({ slug: article.slug, status: article.status, createdAt: article.createdAt }, article.authorId),
		theirs({ fileName: media.fileName, kind: media.kind, createdAt: media.createdAt }, media.createdBy),
		theirs({ id: twoFactor.id }, twoFactor.userId).limit(1),
		dialogueDataOf(db, actor.id)
	]);
	const [organizations, accessRequests] = await Promise.all([
		db
			.select({
				organization: organization.slug,
				admin: organizationMember.admin,
				since: organizationMember.createdAt
			})
			.from(organizationMember)
			.innerJoin(organization, eq(organization.id, organizationMember.organizationId))
			.where(eq(organizationMember.userId, actor.id)),
		db
			.select({
				organization: organization.slug,
				proposedName: organizationAccessRequest.proposedName,
				position: organizationAccessRequest.position,
				message: organizationAccessRequest.message,
				status: organizationAccessRequest.status,
				reason: organizationAccessRequest.reason,
				createdAt: organizationAccessRequest.createdAt,
				decidedAt: organizationAccessRequest.decidedAt
			})
			.from(organizationAccessRequest)
			.leftJoin(organization, eq(organization.id, organizationAccessRequest.organizationId))
			.where(eq(organizationAccessRequest.userId, actor.id))
			.orderBy(organizationAccessRequest.createdAt)
	]);
	return userDataOf({
		profile,
		sessions,
		twoFactorEnrolled: enrolled.length > 0,
		activity,
		articles,
		uploads,
		dialogue,
		organizations,
		accessRequests
	});
}
