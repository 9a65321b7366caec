import {
	and,
	asc,
	eq,
	exists,
	gt,
	inArray,
	isNotNull,
	isNull,
	max,
	ne,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../../kernel/database.ts';
import { enqueueMail } from '../../kernel/outbox.ts';
import { user } from '../../accounts/schema.ts';
import {
	dialogueComment,
	dialogueFollow,
	dialogueNotification,
	dialogueSpace,
	proposal,
	proposalEvent
} from '../schema.ts';
import { holeWaitFor, lockCursor, moveCursor, passable } from './cursor.ts';
import {
	resultTitleOf,
	singleMail,
	spaceKinds,
	toldKinds,
	type Happening,
	type Recipient,
	type ToldKind
} from './mail.ts';
import type { UnsubscribeTarget } from './tokens.ts';

// The notifier (part of the module's tick): reads the history and the comments past each stream's
// cursor and makes a notification row for everyone who should hear — the followers of the
// proposal (or of its space, for the news a space's followers get) for each step worth telling,
// the parent comment's author for each reply — never the person who acted. In the same
// transaction it mails those who chose single mails (the outbox) and moves the cursor, so a crash
// loses nothing and a rerun (or another instance) adds nothing: the cursor row is locked, and the
// rows' unique (user, key) and the outbox's unique key stop any repeat.
//
// A proposal's author follows it from the start: the notifier adds that follow when it passes the
// proposal's `submitted` step. Supporters do not follow by supporting (a support is one click;
// mail they did not ask for would make people hesitate): the follow button is beside it.

/** Rows read per stream and tick. */
export const notifierBatch = 200;

const eventStream = 'proposal-events';
const commentStream = 'comments';

/** People who may get mail: a verified address, not disabled, and a mail choice that sends. */
const reachable = and(
	eq(user.emailVerified, true),
	sql`coalesce(${user.banned}, false) = false`,
	sql`${user.notificationMail} in ('single', 'daily', 'weekly')`
);

const recipientColumns = {
	id: user.id,
	name: user.name,
	email: user.email,
	locale: user.locale,
	notificationMail: user.notificationMail
};

type Reached = Recipient & { notificationMail: string };

/** Makes the rows for one happening, and the single mails of those who chose them. */
async function notify(
	tx: Transaction,
	people: { person: Reached; via: UnsubscribeTarget }[],
	row: { key: string; spaceId: number; proposalId: number | null; commentId?: number; eventId?: number },
	happening: Omit<Happening, 'via'>
): Promise<number> {
	if (!people.length) return 0;
	const byId = new Map(people.map((p) => [p.person.id, p]));
	const made: { id: number; userId: string }[] = [];
	// In slices: one statement's parameters are limited (a space may have thousands of followers).
	for (let i = 0; i < people.length; i += 1000) {
		made.push(
			...(await tx
				.insert(dialogueNotification)
				.values(
					people.slice(i, i + 1000).map(({ person }) => ({
						userId: person.id,
						key: row.key,
						spaceId: row.spaceId,
						proposalId: row.proposalId,
						commentId: row.commentId ?? null,
						eventId: row.eventId ?? null
					}))
				)
				.onConflictDoNothing()
				.returning({ id: dialogueNotification.id, userId: dialogueNotification.userId }))
		);
	}
	const mailed: number[] = [];
	for (const n of made) {
		const found = byId.get(n.userId)!;
		if (found.person.notificationMail !== 'single') continue;
		await enqueueMail(tx, singleMail(`dialogue:${n.id}`, found.person, { ...happening, via: found.via }));
		mailed.push(n.id);
	}
	for (let i = 0; i < mailed.length; i += 1000) {
		await tx
			.update(dialogueNotification)
			.set({ mailedAt: sql`now()` })
			.where(inArray(dialogueNotification.id, mailed.slice(i, i + 1000)));
	}
	return made.length;
}

const submitted = alias(proposalEvent, 'submitted');

/** The history past the cursor: answers and changes told to the followers. */
async function notifyEvents(db: Database): Promise<number> {
	return db.transaction(async (tx) => {
		const cursor = await lockCursor(tx, eventStream, async () => {
			const [r] = await tx.select({ last: max(proposalEvent.id) }).from(proposalEvent);
			return r?.last ?? 0;
		});
		if (!cursor) return 0;
		const rows = await tx
			.select({
				id: proposalEvent.id,
				at: proposalEvent.at,
				kind: proposalEvent.kind,
				detail: proposalEvent.detail,
				proposalId: proposalEvent.proposalId,
				actorId: proposalEvent.actorId,
				proposalTitle: proposal.title,
				authorId: proposal.authorId,
				spaceId: proposal.spaceId,
				spaceSlug: dialogueSpace.slug,
				spaceTitle: dialogueSpace.title,
				// Published in the same change that submitted it (nothing screened): the author's act.
				withSubmission: sql<boolean>`${exists(
					tx
						.select({ one: sql`1` })
						.from(submitted)
						.where(
							and(
								eq(submitted.proposalId, proposalEvent.proposalId),
								eq(submitted.kind, 'submitted'),
								eq(submitted.at, proposalEvent.at)
							)
						)
				)}`
			})
			.from(proposalEvent)
			.innerJoin(proposal, eq(proposal.id, proposalEvent.proposalId))
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
			.where(gt(proposalEvent.id, cursor.lastId))
			.orderBy(asc(proposalEvent.id))
			.limit(notifierBatch);
		const last = passable(cursor.lastId, rows, cursor.now, holeWaitFor(tx));
		let made = 0;
		for (const e of rows) {
			if (e.id > last) break;
			if (e.kind === 'submitted' && e.authorId) {
				await tx
					.insert(dialogueFollow)
					.values({ userId: e.authorId, proposalId: e.proposalId })
					.onConflictDoNothing();
				continue;
			}
			if (!(toldKinds as readonly string[]).includes(e.kind)) continue;
			const kind = e.kind as ToldKind;
			// Who acted: the author withdraws, and publishes at once where nothing is screened.
			const actedByAuthor = kind === 'withdrawn' || (kind === 'published' && e.withSubmission);
			const followers = await tx
				.select({
					...recipientColumns,
					spaceId: dialogueFollow.spaceId,
					proposalId: dialogueFollow.proposalId
				})
				.from(dialogueFollow)
				.innerJoin(user, eq(user.id, dialogueFollow.userId))
				.where(
					and(
						reachable,
						spaceKinds.includes(kind)
							? or(eq(dialogueFollow.proposalId, e.proposalId), eq(dialogueFollow.spaceId, e.spaceId))
							: eq(dialogueFollow.proposalId, e.proposalId),
						actedByAuthor && e.authorId ? ne(dialogueFollow.userId, e.authorId) : undefined,
						// An answerer who follows the proposal is not told of their own answer.
						e.actorId ? ne(dialogueFollow.userId, e.actorId) : undefined
					)
				);
			// One row per person: the proposal's follow before the space's (the narrower unsubscribe).
			const people = new Map<string, { person: Reached; via: UnsubscribeTarget }>();
			for (const f of followers) {
				const via: UnsubscribeTarget = f.proposalId
					? { kind: 'proposal', proposalId: f.proposalId }
					: { kind: 'space', spaceId: e.spaceId };
				if (!people.has(f.id) || f.proposalId) people.set(f.id, { person: f, via });
			}
			made += await notify(
				tx,
				[...people.values()],
				{ key: `event:${e.id}`, spaceId: e.spaceId, proposalId: e.proposalId, eventId: e.id },
				{
					kind,
					spaceSlug: e.spaceSlug,
					spaceTitle: e.spaceTitle,
					proposalId: e.proposalId,
					proposalTitle: e.proposalTitle,
					answerState: e.detail.state ?? null,
					resultTitle: resultTitleOf(e.detail),
					replierName: null,
					commentId: null
				}
			);
		}
		if (last > cursor.lastId) await moveCursor(tx, eventStream, last);
		return made;
	});
}

const parent = alias(dialogueComment, 'parent');
const replier = alias(user, 'replier');

/**
 * Tells the replies `which` picks, each to the author of the comment it answers: only a public
 * reply (not held, hidden or deleted) to someone else's comment, never to `except`.
 */
async function tellReplies(tx: Transaction, which: SQL, except?: string): Promise<number> {
	const replies = await tx
		.select({
			...recipientColumns,
			replyId: dialogueComment.id,
			spaceId: dialogueComment.spaceId,
			proposalId: dialogueComment.proposalId,
			proposalTitle: proposal.title,
			spaceSlug: dialogueSpace.slug,
			spaceTitle: dialogueSpace.title,
			replierName: replier.name
		})
		.from(dialogueComment)
		.innerJoin(parent, eq(parent.id, dialogueComment.parentId))
		.innerJoin(user, eq(user.id, parent.authorId))
		.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueComment.spaceId))
		.leftJoin(proposal, eq(proposal.id, dialogueComment.proposalId))
		.leftJoin(replier, eq(replier.id, dialogueComment.authorId))
		.where(
			and(
				which,
				isNotNull(dialogueComment.parentId),
				isNull(dialogueComment.deletedAt),
				eq(dialogueComment.hidden, false),
				eq(dialogueComment.screening, false),
				isNull(parent.deletedAt),
				sql`${parent.authorId} is distinct from ${dialogueComment.authorId}`,
				except ? ne(parent.authorId, except) : undefined,
				reachable
			)
		)
		.orderBy(asc(dialogueComment.id));
	let made = 0;
	for (const r of replies) {
		made += await notify(
			tx,
			[{ person: r, via: { kind: 'all' } }],
			{ key: `reply:${r.replyId}`, spaceId: r.spaceId, proposalId: r.proposalId, commentId: r.replyId },
			{
				kind: 'reply',
				spaceSlug: r.spaceSlug,
				spaceTitle: r.spaceTitle,
				proposalId: r.proposalId,
				proposalTitle: r.proposalTitle,
				answerState: null,
				resultTitle: null,
				replierName: r.replierName,
				commentId: r.replyId
			}
		);
	}
	return made;
}

/**
 * A held reply a moderator has just approved, told in the approval's transaction (the cursor
 * passed it while it was held), never to the moderator who approved it. Should the cursor reach
 * it later, the row's key `reply:<id>` stops a second telling.
 */
export async function tellApprovedReply(tx: Transaction, commentId: number, moderatorId: string) {
	return tellReplies(tx, eq(dialogueComment.id, commentId), moderatorId);
}

/**
 * The comments past the cursor: each public reply told to the author of the comment it answers.
 * Held replies are passed like any other id (waiting for them would stop every reply behind one
 * that waits days for a moderator): their approval tells them (`tellApprovedReply`).
 */
async function notifyReplies(db: Database): Promise<number> {
	return db.transaction(async (tx) => {
		const cursor = await lockCursor(tx, commentStream, async () => {
			const [r] = await tx.select({ last: max(dialogueComment.id) }).from(dialogueComment);
			return r?.last ?? 0;
		});
		if (!cursor) return 0;
		const rows = await tx
			.select({ id: dialogueComment.id, at: dialogueComment.createdAt })
			.from(dialogueComment)
			.where(gt(dialogueComment.id, cursor.lastId))
			.orderBy(asc(dialogueComment.id))
			.limit(notifierBatch);
		const last = passable(cursor.lastId, rows, cursor.now, holeWaitFor(tx));
		if (last <= cursor.lastId) return 0;
		const made = await tellReplies(
			tx,
			and(gt(dialogueComment.id, cursor.lastId), sql`${dialogueComment.id} <= ${last}`)!
		);
		await moveCursor(tx, commentStream, last);
		return made;
	});
}

/** One round of the notifier: the rows it made (0 when there was nothing new). */
export async function runNotifier(db: Database): Promise<number> {
	return (await notifyEvents(db)) + (await notifyReplies(db));
}
