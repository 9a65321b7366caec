// For dialogue-durability.test.ts: what the notifier owes after a kill -9, worked out from the
// committed rows themselves (not by the notifier's code), and the count of what the test's SMTP
// server received against the outbox.
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../kernel/database.ts';
import { messageIdFor } from '../kernel/outbox.ts';
import { mailOutbox } from '../kernel/schema.ts';
import {
	dialogueComment,
	dialogueFollow,
	dialogueNotification,
	proposal,
	proposalEvent
} from '../dialogue/schema.ts';
import { spaceKinds, toldKinds } from '../dialogue/notifications/mail.ts';

/** A notification: whom, and about what (`reply:<comment id>`, `event:<history id>`). */
export interface Owed {
	userId: string;
	key: string;
}

const parent = alias(dialogueComment, 'parent');

/**
 * Every notification the space's committed rows call for (the space's participants all chose
 * single mails, and nobody acted on a proposal of their own): each reply's parent author (unless
 * they answered themselves), and each told step of a proposal's history to every follower of the
 * proposal (and of the space, for the steps its followers hear of).
 */
export async function owedNotifications(db: Database, spaceId: number): Promise<Owed[]> {
	const replies = await db
		.select({ id: dialogueComment.id, writer: dialogueComment.authorId, answered: parent.authorId })
		.from(dialogueComment)
		.innerJoin(parent, eq(parent.id, dialogueComment.parentId))
		.where(eq(dialogueComment.spaceId, spaceId));
	const events = await db
		.select({ id: proposalEvent.id, kind: proposalEvent.kind, proposalId: proposalEvent.proposalId })
		.from(proposalEvent)
		.innerJoin(proposal, eq(proposal.id, proposalEvent.proposalId))
		.where(and(eq(proposal.spaceId, spaceId), inArray(proposalEvent.kind, [...toldKinds])));
	const follows = await db
		.select({ userId: dialogueFollow.userId, proposalId: dialogueFollow.proposalId })
		.from(dialogueFollow)
		.leftJoin(proposal, eq(proposal.id, dialogueFollow.proposalId))
		.where(or(eq(dialogueFollow.spaceId, spaceId), eq(proposal.spaceId, spaceId)));
	const owed: Owed[] = replies
		.filter((r) => r.answered && r.answered !== r.writer)
		.map((r) => ({ userId: r.answered!, key: `reply:${r.id}` }));
	for (const e of events) {
		const told = new Set(
			follows
				.filter(
					(f) =>
						f.proposalId === e.proposalId ||
						(f.proposalId === null && (spaceKinds as readonly string[]).includes(e.kind))
				)
				.map((f) => f.userId)
		);
		for (const userId of told) owed.push({ userId, key: `event:${e.id}` });
	}
	return owed;
}

/** The notification rows of the space, and whether each was mailed singly. */
export async function madeNotifications(db: Database, spaceId: number) {
	return db
		.select({
			id: dialogueNotification.id,
			userId: dialogueNotification.userId,
			key: dialogueNotification.key,
			mailed: sql<boolean>`${dialogueNotification.mailedAt} is not null`
		})
		.from(dialogueNotification)
		.where(eq(dialogueNotification.spaceId, spaceId));
}

/** What the test's SMTP server received (test/counting-mail-server.ts, which only tests import). */
export interface Received {
	received: { to: string[]; headers: Map<string, string>; raw: string }[];
	perMessageId(): Map<string, number>;
}

export interface MailCount {
	/** Outbox rows of the notifications, and those not 'sent'. */
	rows: number;
	unsent: number;
	/** Notifications (mailed) without an outbox row. */
	withoutRow: number;
	/** Rows whose Message-ID never arrived. */
	missing: number;
	/** Messages received for the rows, repeats included. */
	received: number;
	/** Message-IDs that arrived more than once, and the extra arrivals. */
	repeatedIds: string[];
	repeats: number;
	/** A repeat whose copies differ (recipient, subject or text), or one mail under two Message-IDs. */
	unlikeRepeats: number;
	twoIds: number;
	/** Arrivals under a Message-ID of no outbox row of this database, or to another address than the row's. */
	strays: number;
	misaddressed: number;
}

/**
 * Counts what `smtp` received against the outbox rows of `notifications` (key `dialogue:<id>`).
 * `origin` is the ORIGIN the sending processes ran with: a Message-ID names its host.
 */
export async function countMail(
	db: Database,
	smtp: Received,
	notifications: { id: number }[],
	origin: string
): Promise<MailCount> {
	const keys = notifications.map((n) => `dialogue:${n.id}`);
	const rows: (typeof mailOutbox.$inferSelect)[] = [];
	for (let i = 0; i < keys.length; i += 1000) {
		rows.push(
			...(await db
				.select()
				.from(mailOutbox)
				.where(inArray(mailOutbox.key, keys.slice(i, i + 1000))))
		);
	}
	const all = await db.select({ id: mailOutbox.id }).from(mailOutbox);
	// messageIdFor reads ORIGIN: set for this synchronous moment only (the kinds run at once).
	const saved = process.env.ORIGIN;
	process.env.ORIGIN = origin;
	const idOf = new Map(rows.map((r) => [messageIdFor(r.id), r]));
	const known = new Set(all.map((r) => messageIdFor(r.id)));
	if (saved === undefined) delete process.env.ORIGIN;
	else process.env.ORIGIN = saved;

	const counts = smtp.perMessageId();
	const ours = smtp.received.filter((m) => idOf.has(m.headers.get('message-id') ?? ''));
	const repeated = [...counts].filter(([id, n]) => idOf.has(id) && n > 1);
	// The same mail (recipient and text) under more than one Message-ID: a repeat that escapes the
	// receiver's check.
	const body = (raw: string) => raw.slice(raw.search(/\r?\n\r?\n/));
	const idsOfMail = new Map<string, Set<string>>();
	for (const m of ours) {
		const mail = `${m.to.join(',')}\n${m.headers.get('subject')}\n${body(m.raw)}`;
		idsOfMail.set(mail, (idsOfMail.get(mail) ?? new Set()).add(m.headers.get('message-id')!));
	}
	const copiesOf = (id: string) =>
		new Set(
			ours
				.filter((m) => m.headers.get('message-id') === id)
				.map((m) => `${m.to.join(',')}\n${m.headers.get('subject')}\n${body(m.raw)}`)
		).size;
	return {
		rows: rows.length,
		unsent: rows.filter((r) => r.status !== 'sent').length,
		withoutRow: keys.length - rows.length,
		missing: [...idOf.keys()].filter((id) => !counts.has(id)).length,
		received: ours.length,
		repeatedIds: repeated.map(([id]) => id),
		repeats: repeated.reduce((sum, [, n]) => sum + n - 1, 0),
		unlikeRepeats: repeated.filter(([id]) => copiesOf(id) > 1).length,
		twoIds: [...idsOfMail.values()].filter((ids) => ids.size > 1).length,
		strays: [...counts.keys()].filter((id) => !known.has(id)).length,
		misaddressed: ours.filter((m) => m.to.join(',') !== idOf.get(m.headers.get('message-id')!)!.recipient)
			.length
	};
}
