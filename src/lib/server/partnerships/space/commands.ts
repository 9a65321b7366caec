import { and, eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { readForm } from '../../kernel/input.ts';
import { can, type Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { user } from '../../accounts/schema.ts';
import { media } from '../../media/schema.ts';
import { partnershipAccess, partnershipDocument } from '../schema.ts';
import { partnershipsPolicy } from '../policy.ts';
import { onPartnership } from '../commands.ts';
import { attachDocumentForm, detachDocumentForm, documentTitle, spaceMemberForm } from './input.ts';

/**
 * Changes in a partnership's own space: who is in it (coordinators and members) and its
 * documents. Its editors and its coordinator act here; only editors make or remove coordinators,
 * and only staff publish a file from their media library.
 */

/** A form as sent (FormData) or the values the kernel's `formValues` took from one. */
type Raw = FormData | Record<string, unknown>;

async function requireUser(tx: Transaction, userId: string): Promise<void> {
	const [exists] = await tx.select({ id: user.id }).from(user).where(eq(user.id, userId));
	if (!exists) throw new ValidationError([{ field: 'user', code: 'unknownUser' }], 'partnerships');
}

/** Makes someone with an account the partnership's coordinator (editors); audited. */
export async function appointCoordinator(db: Database, actor: Actor, slug: string, raw: Raw): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.appointCoordinator,
		parse: () => readForm(raw, spaceMemberForm, 'partnerships'),
		check: target.check,
		work: async (tx, input) => {
			await requireUser(tx, input.user);
			await tx
				.insert(partnershipAccess)
				.values({ partnershipId: target.id, userId: input.user, role: 'coordinator' })
				.onConflictDoUpdate({
					target: [partnershipAccess.partnershipId, partnershipAccess.userId],
					set: { role: 'coordinator' }
				});
			return {
				result: undefined,
				audit: {
					action: 'partnership.access',
					subject: `partnership:${target.id}`,
					after: { userId: input.user, role: 'coordinator' }
				},
				public: false
			};
		}
	});
}

/**
 * Lets someone with an account into the space as a member (its editors or its coordinator);
 * audited. Someone already in it keeps their role: inviting a coordinator again does not make
 * them a member.
 */
export async function addMember(
	db: Database | Transaction,
	actor: Actor,
	slug: string,
	raw: Raw
): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => readForm(raw, spaceMemberForm, 'partnerships'),
		check: target.check,
		work: async (tx, input) => {
			await requireUser(tx, input.user);
			const added = await tx
				.insert(partnershipAccess)
				.values({ partnershipId: target.id, userId: input.user, role: 'member' })
				.onConflictDoNothing()
				.returning({ userId: partnershipAccess.userId });
			return {
				result: undefined,
				audit: added.length
					? {
							action: 'partnership.access',
							subject: `partnership:${target.id}`,
							after: { userId: input.user, role: 'member' }
						}
					: [],
				public: false
			};
		}
	});
}

/** Takes someone out of the space; only editors remove a coordinator. Audited. */
export async function removeFromSpace(db: Database, actor: Actor, slug: string, raw: Raw): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => readForm(raw, spaceMemberForm, 'partnerships'),
		check: target.check,
		work: async (tx, input, who) => {
			const where = and(
				eq(partnershipAccess.partnershipId, target.id),
				eq(partnershipAccess.userId, input.user)
			);
			const [row] = await tx.select({ role: partnershipAccess.role }).from(partnershipAccess).where(where);
			if (!row) throw new NotFoundError('access');
			if (row.role === 'coordinator' && !can(who, partnershipsPolicy.appointCoordinator)) {
				throw new ForbiddenError();
			}
			await tx.delete(partnershipAccess).where(where);
			return {
				result: undefined,
				audit: {
					action: 'partnership.revoke',
					subject: `partnership:${target.id}`,
					before: { userId: input.user, role: row.role }
				},
				public: false
			};
		}
	});
}

/** Attaches a PDF of the staff's media library (attaching publishes it); audited. */
export async function attachFromLibrary(db: Database, actor: Actor, slug: string, raw: Raw): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.attachFromLibrary,
		parse: () => readForm(raw, attachDocumentForm, 'partnerships'),
		check: target.check,
		work: async (tx, input) => {
			const [file] = await tx
				.select({ kind: media.kind, origin: media.origin })
				.from(media)
				.where(eq(media.id, input.media));
			if (file?.kind !== 'document' || file.origin !== 'library') {
				throw new ValidationError([{ field: 'media', code: 'unknownMedia' }], 'partnerships');
			}
			const title = documentTitle(input);
			await tx
				.insert(partnershipDocument)
				.values({ partnershipId: target.id, mediaId: input.media, title })
				.onConflictDoUpdate({
					target: [partnershipDocument.partnershipId, partnershipDocument.mediaId],
					set: { title }
				});
			return {
				result: undefined,
				audit: {
					action: 'partnership.document.attach',
					subject: `partnership:${target.id}`,
					after: { mediaId: input.media }
				},
				public: true
			};
		}
	});
}

/** Takes a document off the partnership's page (it stays in the library); audited. */
export async function detachDocument(db: Database, actor: Actor, slug: string, raw: Raw): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => readForm(raw, detachDocumentForm, 'partnerships'),
		check: target.check,
		work: async (tx, input) => {
			await tx
				.delete(partnershipDocument)
				.where(
					and(eq(partnershipDocument.partnershipId, target.id), eq(partnershipDocument.mediaId, input.media))
				);
			return {
				result: undefined,
				audit: {
					action: 'partnership.document.detach',
					subject: `partnership:${target.id}`,
					after: { mediaId: input.media }
				},
				public: true
			};
		}
	});
}

/**
 * Attaches a PDF the actor has just put into the media library (the app's upload of a
 * partnership's document, in the upload's transaction); audited. Someone without the right to
 * publish library files may attach only a file they uploaded themselves.
 */
export async function attachUpload(
	db: Database | Transaction,
	actor: Actor,
	slug: string,
	input: { mediaId: number; title: LocalizedText }
): Promise<void> {
	const target = onPartnership(slug);
	await runCommand(db, actor, {
		rule: partnershipsPolicy.workInSpace,
		parse: () => input,
		check: target.check,
		work: async (tx, { mediaId, title }, who) => {
			const [file] = await tx
				.select({ kind: media.kind, createdBy: media.createdBy, fileName: media.fileName })
				.from(media)
				.where(eq(media.id, mediaId));
			if (file?.kind !== 'document') {
				throw new ValidationError([{ field: 'file', code: 'fileType' }], 'partnerships');
			}
			if (file.createdBy !== who.id && !can(who, partnershipsPolicy.attachFromLibrary))
				throw new ForbiddenError();
			await tx.insert(partnershipDocument).values({ partnershipId: target.id, mediaId, title });
			return {
				result: undefined,
				audit: {
					action: 'partnership.document.attach',
					subject: `partnership:${target.id}`,
					after: { mediaId, fileName: file.fileName }
				},
				public: true
			};
		}
	});
}
