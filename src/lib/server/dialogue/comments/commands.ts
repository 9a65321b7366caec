import { eq, sql } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ForbiddenError, ValidationError } from '../../kernel/errors.ts';
import { authorize, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { signInThrottle } from '../../accounts/schema.ts';
import { dialogueComment, proposal } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { editWindowMinutes, maxCommentDepth } from '#lib/dialogue-values.ts';
import type { CommentMode } from '#lib/components/comment-thread/thread.ts';
import { commentShape, deleteShape, editShape, replyShape, type CommentInput } from './input.ts';
import { commentForChange, commentMode, commentTarget, type CommentTarget } from './queries.ts';

// Writing comments: a new one, a reply (three levels at most), the author's edit within the
// window and the author's delete (the row stays, so the thread does). Each is one command; the
// proposal's `comment_count` changes in the same transaction as the row it counts. In a
// pre-moderated space a comment is held (`screening`) and counted only once a moderator approves
// it (moderation/screening.ts). Comments are live input, never cached: no change here raises the
// content revision (`public: false`).

/** Comments a participant may write in the window, and all participants behind one address. */
export const commentsPerParticipant = 20;
export const commentsPerAddress = 60;
export const commentWindowSeconds = 10 * 60;

/** Too many comments in a short time: the form says when to try again. */
export class CommentLimitError extends Error {
	readonly retryAfterSeconds: number;
	constructor(retryAfterSeconds: number) {
		super('Comment limit reached');
		this.name = 'CommentLimitError';
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

const limiters = new WeakMap<
	Database,
	{ byParticipant: RateLimiterDrizzle; byAddress: RateLimiterDrizzle }
>();

function commentLimiters(db: Database) {
	let found = limiters.get(db);
	if (!found) {
		// The sign-in throttle's table with keys of our own: every instance counts the same comments.
		const options = {
			storeClient: db,
			schema: signInThrottle,
			duration: commentWindowSeconds,
			clearExpiredByTimeout: false
		};
		found = {
			byParticipant: new RateLimiterDrizzle({
				...options,
				keyPrefix: 'comment-user',
				points: commentsPerParticipant
			}),
			byAddress: new RateLimiterDrizzle({ ...options, keyPrefix: 'comment-ip', points: commentsPerAddress })
		};
		limiters.set(db, found);
	}
	return found;
}

/** Where the comment goes: a space's debate (no proposal) or a proposal of the space. */
export interface CommentPlace {
	/** The space's address part. */
	space: string;
	proposalId: number | null;
}

/** Who sends it from where: the client's address counts against its own allowance. */
export interface CommentClient {
	ip: string;
}

/** Takes one comment from both allowances, or throws CommentLimitError with the wait. */
async function takeAllowance(db: Database, userId: string, ip: string): Promise<() => Promise<void>> {
	const { byParticipant, byAddress } = commentLimiters(db);
	const refused = (r: unknown) =>
		r instanceof RateLimiterRes ? new CommentLimitError(Math.ceil(r.msBeforeNext / 1000)) : r;
	await byParticipant.consume(userId).catch((r) => {
		throw refused(r);
	});
	await byAddress.consume(ip).catch(async (r) => {
		await byParticipant.reward(userId, 1).catch(() => undefined);
		throw refused(r);
	});
	// Given back when the comment is refused for another reason: only comments written count.
	return async () => {
		await Promise.all([byParticipant.reward(userId, 1), byAddress.reward(ip, 1)]).catch(() => undefined);
	};
}

const gateCodes = {
	signIn: 'commentsClosed',
	closed: 'commentsClosed',
	residentsOnly: 'commentResidentsOnly',
	unverified: 'commentEmailUnverified',
	blocked: 'commentBlocked'
} as const satisfies Record<Exclude<CommentMode, 'write'>, string>;

/** Refuses with the form-level reason unless the actor may write in this thread now. */
function mustWrite(target: CommentTarget, actor: NonNullable<Actor>): void {
	const mode = commentMode(target, actor);
	if (mode !== 'write') throw new ValidationError([{ field: 'form', code: gateCodes[mode] }], 'dialogue');
}

const problem = (
	field: string,
	code: 'commentGone' | 'commentTooDeep' | 'commentEditWindow' | 'commentHidden'
) => new ValidationError([{ field, code }], 'dialogue');

/**
 * Who should hear of a new reply: the author of the comment answered, unless that is the writer
 * or their account is gone. The notifier (notifications/notifier.ts) mails them from the reply
 * row itself, so this is what the command reports.
 */
export function replyRecipients(parent: { authorId: string | null } | null, writerId: string): string[] {
	return parent?.authorId && parent.authorId !== writerId ? [parent.authorId] : [];
}

/** The written comment, and who should hear of it (see `replyRecipients`). */
export interface Written {
	id: number;
	notify: string[];
}

async function post(
	db: Database,
	actor: Actor,
	place: CommentPlace,
	input: CommentInput & { parent?: number },
	client: CommentClient
): Promise<Written> {
	authorize(actor, dialoguePolicy.participate);
	const giveBack = await takeAllowance(db, actor.id, client.ip);
	try {
		return await runCommand(db, actor, {
			rule: dialoguePolicy.participate,
			parse: () => input,
			work: async (tx, { comment, stance, parent: parentId }, actor) => {
				const target = await commentTarget(tx, place.space, place.proposalId, actor);
				mustWrite(target, actor);
				const parent = parentId === undefined ? null : await commentForChange(tx, target, parentId);
				if (parentId !== undefined) {
					// A held comment is its author's alone until approved: nobody can answer it yet.
					if (!parent || parent.deletedAt || parent.hidden || parent.screening)
						throw problem('parent', 'commentGone');
					if (parent.depth >= maxCommentDepth) throw problem('parent', 'commentTooDeep');
				}
				const [row] = await tx
					.insert(dialogueComment)
					.values({
						spaceId: target.spaceId,
						proposalId: target.proposalId,
						parentId: parent?.id ?? null,
						rootId: parent ? (parent.rootId ?? parent.id) : null,
						depth: parent ? parent.depth + 1 : 0,
						authorId: actor.id,
						body: comment,
						stance: stance ?? null,
						screening: target.screened
					})
					.returning({ id: dialogueComment.id });
				if (!target.screened) await countOn(tx, target.proposalId, 1);
				return {
					// A held reply is told of when it is approved, not now.
					result: { id: row!.id, notify: target.screened ? [] : replyRecipients(parent ?? null, actor.id) },
					audit: {
						action: parent ? 'dialogue-comment.reply' : 'dialogue-comment.create',
						subject: `dialogue-comment:${row!.id}`,
						after: {
							spaceId: target.spaceId,
							proposalId: target.proposalId,
							parentId: parent?.id ?? null,
							screening: target.screened
						},
						ip: client.ip
					},
					public: false
				};
			}
		});
	} catch (error) {
		await giveBack();
		throw error;
	}
}

/** The proposal's comment counter, changed with the row it counts. */
export async function countOn(tx: Transaction, proposalId: number | null, by: 1 | -1): Promise<void> {
	if (proposalId === null) return;
	await tx
		.update(proposal)
		.set({ commentCount: sql`greatest(${proposal.commentCount} + ${by}, 0)` })
		.where(eq(proposal.id, proposalId));
}

/**
 * A new top-level comment in a space's debate or on a proposal. Refused (a form-level message)
 * unless the space is open, a current phase opens comments, the proposal is public and not
 * withdrawn, the space's requirement can be met, and the writer is not blocked; at most
 * `commentsPerParticipant` in ten minutes per participant and `commentsPerAddress` per client
 * address (CommentLimitError).
 */
export async function writeComment(
	db: Database,
	actor: Actor,
	place: CommentPlace,
	form: FormData | Record<string, unknown>,
	client: CommentClient
): Promise<Written> {
	authorize(actor, dialoguePolicy.participate);
	return post(db, actor, place, readForm(form, commentShape, 'dialogue'), client);
}

/** A reply to a comment of the same thread, at most three levels deep (depth 0–2). */
export async function writeReply(
	db: Database,
	actor: Actor,
	place: CommentPlace,
	form: FormData | Record<string, unknown>,
	client: CommentClient
): Promise<Written> {
	authorize(actor, dialoguePolicy.participate);
	const input = readForm(form, replyShape, 'dialogue');
	return post(db, actor, place, input, client);
}

/**
 * The author changes their comment's text and stance within `editWindowMinutes` of writing it
 * (while they may still write there); it is then marked as edited.
 */
export async function editComment(
	db: Database,
	actor: Actor,
	place: CommentPlace,
	form: FormData | Record<string, unknown>,
	now = new Date()
): Promise<{ id: number }> {
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, editShape, 'dialogue'),
		work: async (tx, { commentId, comment, stance }, actor) => {
			const target = await commentTarget(tx, place.space, place.proposalId, actor, now);
			const c = await commentForChange(tx, target, commentId);
			if (!c || c.deletedAt) throw problem('commentId', 'commentGone');
			if (c.authorId !== actor.id) throw new ForbiddenError();
			mustWrite(target, actor);
			if (c.hidden) throw problem('form', 'commentHidden');
			if (now.getTime() - c.createdAt.getTime() > editWindowMinutes * 60_000)
				throw problem('form', 'commentEditWindow');
			await tx
				.update(dialogueComment)
				.set({ body: comment, stance: stance ?? null, editedAt: now })
				.where(eq(dialogueComment.id, c.id));
			return {
				result: { id: c.id },
				audit: { action: 'dialogue-comment.edit', subject: `dialogue-comment:${c.id}` },
				public: false
			};
		}
	});
}

/**
 * The author deletes their comment, at any time: its text and stance are gone, the row stays
 * ("deleted by its author") and so do the replies to it. Deleting twice changes nothing more.
 */
export async function deleteComment(
	db: Database,
	actor: Actor,
	place: CommentPlace,
	form: FormData | Record<string, unknown>,
	now = new Date()
): Promise<{ id: number }> {
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readForm(form, deleteShape, 'dialogue'),
		work: async (tx, { commentId }, actor) => {
			const target = await commentTarget(tx, place.space, place.proposalId, actor, now);
			const c = await commentForChange(tx, target, commentId);
			if (!c) throw problem('commentId', 'commentGone');
			if (c.authorId !== actor.id) throw new ForbiddenError();
			if (!c.deletedAt) {
				await tx
					.update(dialogueComment)
					.set({ body: '', stance: null, deletedAt: now })
					.where(eq(dialogueComment.id, c.id));
				// A held comment was never counted.
				if (!c.screening) await countOn(tx, target.proposalId, -1);
			}
			return {
				result: { id: c.id },
				audit: { action: 'dialogue-comment.delete', subject: `dialogue-comment:${c.id}` },
				public: false
			};
		}
	});
}
