import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import { subquery } from '../../kernel/sql.ts';
import type { LocalizedText } from '../../kernel/localized.ts';
import { mayOn, type Actor } from '../../kernel/policy.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueComment, type ProposalStatus, type SpaceStatus, type Stance } from '../schema.ts';
import { editWindowMinutes, maxCommentDepth } from '#lib/dialogue-values.ts';
import { decide, type Gate, type Refusal } from '../participation.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import { today } from '../spaces/listing.ts';
import type {
	CommentMode,
	CommentOrder,
	CommentView,
	ThreadPage
} from '#lib/components/comment-thread/thread.ts';

// Reading comments: where a thread is (a space's debate or a proposal) with what the viewer may
// do there, and a page of it: 20 top-level comments and all their replies, in two index reads
// however many comments the thread has (dialogue_comment_top_idx, dialogue_comment_root_idx).

/** Top-level comments a page. */
export const threadsPerPage = 20;

/** Proposals one may comment on: public and not withdrawn. */
const commentableStatuses: readonly ProposalStatus[] = ['collecting', 'to-answer', 'answered', 'not-reached'];

/** Where a thread is and what decides who may write in it, read in one query. */
export interface CommentTarget {
	spaceId: number;
	slug: string;
	title: LocalizedText;
	/** Null for the space's own debate. */
	proposalId: number | null;
	spaceStatus: SpaceStatus;
	/** A phase around today opens comments. */
	phaseOpen: boolean;
	/** The proposal (if any) is public (not in screening, not refused), not withdrawn, not hidden. */
	proposalOpen: boolean;
	/** The dialogue's one gate (`participation.ts`) for the viewer and comments in this space. */
	gate: Gate;
	/**
	 * The viewer's comments wait for a moderator (a pre-moderated space); those who moderate it
	 * publish at once: they would only approve their own.
	 */
	screened: boolean;
}

/**
 * The space (by its address part, or as already read with the viewer's standing and the
 * proposal: `readSpace`) and, when given, one of its proposals, with what decides who may
 * comment: NotFoundError when the space does not exist or has no such proposal. Whether the page
 * itself may be seen (a draft space, a proposal in screening) is its own page's question:
 * comments there are simply closed.
 */
export async function commentTarget(
	db: Database | Transaction,
	space: string | SpaceRecord,
	proposalId: number | null,
	actor: Actor,
	now = new Date()
): Promise<CommentTarget> {
	const read =
		typeof space === 'string'
			? await readSpace(
					db,
					{ slug: space },
					{ standingOf: actor ?? undefined, proposal: proposalId ?? undefined, day: today(now) }
				)
			: space;
	const asked = read.proposal;
	if (proposalId !== null && asked?.id !== proposalId) throw new NotFoundError('Proposal');
	const phaseOpen = read.opens.includes('comments');
	return {
		spaceId: read.id,
		slug: read.slug,
		title: read.title,
		proposalId,
		spaceStatus: read.status,
		phaseOpen,
		proposalOpen: !asked || (!asked.hidden && commentableStatuses.includes(asked.status)),
		gate: decide(actor, read, 'comments', actor ? read.standing : null),
		screened: read.moderation === 'pre' && !(await mayOn(actor, dialoguePolicy.moderate, read.actors))
	};
}

/** What the viewer may do in the thread: write, or the reason they may not. */
export function commentMode(target: CommentTarget, actor: Actor): CommentMode {
	if (!actor) return 'signIn';
	if (!target.proposalOpen) return 'closed';
	if (target.gate.ok) return 'write';
	return (
		{
			signIn: 'signIn',
			spaceClosed: 'closed',
			notOpen: 'closed',
			blocked: 'blocked',
			unverifiedEmail: 'unverified',
			residentsOnly: 'residentsOnly'
		} as const satisfies Record<Refusal, CommentMode>
	)[target.gate.reason];
}

/** The thread's rows: a space's debate has no proposal. */
export function inThread(target: { spaceId: number; proposalId: number | null }): SQL {
	return and(
		eq(dialogueComment.spaceId, target.spaceId),
		target.proposalId === null
			? isNull(dialogueComment.proposalId)
			: eq(dialogueComment.proposalId, target.proposalId)
	)!;
}

/** What the viewer may see of a thread: public comments, and their own held for screening. */
export function seenBy(actor: Actor): SQL {
	const open = eq(dialogueComment.screening, false);
	return actor ? or(open, eq(dialogueComment.authorId, actor.id))! : open;
}

const columns = {
	id: dialogueComment.id,
	parentId: dialogueComment.parentId,
	rootId: dialogueComment.rootId,
	depth: dialogueComment.depth,
	authorId: dialogueComment.authorId,
	author: user.name,
	body: dialogueComment.body,
	stance: dialogueComment.stance,
	createdAt: dialogueComment.createdAt,
	editedAt: dialogueComment.editedAt,
	deletedAt: dialogueComment.deletedAt,
	hidden: dialogueComment.hidden,
	hiddenReason: dialogueComment.hiddenReason,
	screening: dialogueComment.screening
};
type Row = {
	id: number;
	parentId: number | null;
	rootId: number | null;
	depth: number;
	authorId: string | null;
	author: string | null;
	body: string;
	stance: Stance | null;
	createdAt: Date;
	editedAt: Date | null;
	deletedAt: Date | null;
	hidden: boolean;
	hiddenReason: string | null;
	screening: boolean;
};

/**
 * One page of a thread: `threadsPerPage` top-level comments (newest or oldest first) with every
 * reply to them, nested, oldest first. Two queries whatever the thread's size: the page of
 * top-level comments (with their count), then the replies of exactly those by `root_id`.
 */
export async function threadPage(
	db: Database,
	target: CommentTarget,
	actor: Actor,
	options: { page: number; order: CommentOrder },
	now = new Date()
): Promise<ThreadPage> {
	const mode = commentMode(target, actor);
	const newest = options.order === 'newest';
	const topLevel = and(inThread(target), isNull(dialogueComment.parentId), seenBy(actor));
	// The count is a subquery of its own (run once), so the join to names is for the page's rows only.
	const top = await db
		.select({
			...columns,
			threads: subquery<number>(sql`select count(*) from ${dialogueComment} where ${topLevel}`).mapWith(
				Number
			)
		})
		.from(dialogueComment)
		.leftJoin(user, eq(user.id, dialogueComment.authorId))
		.where(topLevel)
		.orderBy(
			newest ? desc(dialogueComment.createdAt) : asc(dialogueComment.createdAt),
			newest ? desc(dialogueComment.id) : asc(dialogueComment.id)
		)
		.limit(threadsPerPage)
		.offset((options.page - 1) * threadsPerPage);
	let threads = top[0]?.threads ?? 0;
	if (!top.length && options.page > 1) {
		// Past the end (or the thread shrank): how many there are, for the way back.
		const [counted] = await db
			.select({ n: sql<number>`count(*)`.mapWith(Number) })
			.from(dialogueComment)
			.where(topLevel);
		threads = counted?.n ?? 0;
	}
	const replies = top.length
		? await db
				.select(columns)
				.from(dialogueComment)
				.leftJoin(user, eq(user.id, dialogueComment.authorId))
				.where(
					and(
						inArray(
							dialogueComment.rootId,
							top.map((c) => c.id)
						),
						seenBy(actor)
					)
				)
				.orderBy(asc(dialogueComment.rootId), asc(dialogueComment.createdAt), asc(dialogueComment.id))
		: [];

	const view = (r: Row): CommentView => {
		const mine = actor !== null && r.authorId === actor.id;
		const state = r.deletedAt ? 'deleted' : r.hidden ? 'hidden' : 'shown';
		// Only its author gets here (`seenBy`); a refused one is hidden, with its reason.
		const awaiting = r.screening && state === 'shown';
		const until = new Date(r.createdAt.getTime() + editWindowMinutes * 60_000);
		return {
			id: r.id,
			depth: r.depth,
			// A deleted comment keeps no name on the page.
			author: r.authorId && state !== 'deleted' ? r.author : null,
			at: r.createdAt.toISOString(),
			editedAt: r.editedAt?.toISOString() ?? null,
			stance: state === 'shown' ? r.stance : null,
			state,
			body: state === 'shown' ? r.body : null,
			hiddenReason: state === 'hidden' ? r.hiddenReason : null,
			awaiting,
			mine,
			editableUntil:
				mine && state === 'shown' && mode === 'write' && until > now ? until.toISOString() : null,
			canDelete: mine && state !== 'deleted',
			canReply: mode === 'write' && state === 'shown' && !awaiting && r.depth < maxCommentDepth,
			replies: []
		};
	};
	const byId = new Map<number, CommentView>();
	const comments = top.map((r) => {
		const v = view(r);
		byId.set(r.id, v);
		return v;
	});
	for (const r of replies) {
		const v = view(r);
		byId.set(r.id, v);
		byId.get(r.parentId ?? -1)?.replies.push(v);
	}
	return {
		space: target.slug,
		comments,
		page: options.page,
		pages: Math.max(1, Math.ceil(threads / threadsPerPage)),
		threads,
		order: options.order,
		mode,
		screened: target.screened
	};
}

/** A comment as a change needs it, locked for the change; NotFoundError when it is not in the thread. */
export async function commentForChange(
	tx: Transaction,
	target: { spaceId: number; proposalId: number | null },
	id: number
) {
	const [row] = await tx
		.select({
			id: dialogueComment.id,
			rootId: dialogueComment.rootId,
			depth: dialogueComment.depth,
			authorId: dialogueComment.authorId,
			createdAt: dialogueComment.createdAt,
			deletedAt: dialogueComment.deletedAt,
			hidden: dialogueComment.hidden,
			screening: dialogueComment.screening
		})
		.from(dialogueComment)
		.where(and(inThread(target), eq(dialogueComment.id, id)))
		.for('update');
	return row;
}
