import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../kernel/database.ts';
import { enqueueMail } from '../../kernel/outbox.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueComment, dialogueNotification, dialogueSpace, proposal, proposalEvent } from '../schema.ts';
import { digestMail, resultTitleOf, toldKinds, type Happening, type ToldKind } from './mail.ts';

// The digests (part of the module's tick): for each participant who chose a daily or weekly
// digest and whose period has turned, the notifications not yet mailed from before the period's
// start go into one mail (key `digest:<user>:<period start>:<first row>`: a row that commits late
// gets a digest of its own rather than none), marked mailed in the same
// transaction. Periods start at midnight and on Mondays, Swedish time. Someone who switched from
// single mails to a digest (or back) loses nothing: left-over rows go with the next daily digest.

export type DigestPeriod = 'daily' | 'weekly';

const zone = 'Europe/Stockholm';
const day = 24 * 60 * 60 * 1000;

/** The wall clock in Stockholm at `at`, read as if it were UTC. */
function wallClock(at: Date): number {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		})
			.formatToParts(at)
			.map((p) => [p.type, Number(p.value)])
	);
	return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** The start of the period `now` is in: midnight (or Monday midnight) in Stockholm. */
export function periodStart(now: Date, period: DigestPeriod): Date {
	const local = wallClock(now);
	let midnight = local - (local % day);
	if (period === 'weekly') {
		const weekday = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0
		midnight -= weekday * day;
	}
	// Local midnight → the instant: the offset at that moment (summer time may differ from now's).
	let instant = midnight - (local - now.getTime());
	instant -= wallClock(new Date(instant)) - midnight;
	return new Date(instant);
}

const isoDay = (instant: Date) => new Date(wallClock(instant)).toISOString().slice(0, 10);

/** People handled per tick. */
export const digestBatch = 100;

const replier = alias(user, 'replier');

/** Sends the digests that are due; returns how many mails were enqueued. */
export async function sendDigests(db: Database, now = new Date()): Promise<number> {
	const daily = periodStart(now, 'daily');
	const weekly = periodStart(now, 'weekly');
	const due = await db
		.selectDistinct({ userId: dialogueNotification.userId, mode: user.notificationMail })
		.from(dialogueNotification)
		.innerJoin(user, eq(user.id, dialogueNotification.userId))
		.where(
			and(
				isNull(dialogueNotification.mailedAt),
				eq(user.emailVerified, true),
				sql`coalesce(${user.banned}, false) = false`,
				or(
					and(inArray(user.notificationMail, ['daily', 'single']), lt(dialogueNotification.createdAt, daily)),
					and(eq(user.notificationMail, 'weekly'), lt(dialogueNotification.createdAt, weekly))
				)
			)
		)
		.limit(digestBatch);
	let sent = 0;
	for (const { userId, mode } of due) {
		const period: DigestPeriod = mode === 'weekly' ? 'weekly' : 'daily';
		if (await sendDigest(db, userId, period, period === 'weekly' ? weekly : daily)) sent++;
	}
	return sent;
}

/** One person's digest, in a transaction of its own. */
async function sendDigest(db: Database, userId: string, period: DigestPeriod, start: Date): Promise<boolean> {
	return db.transaction(async (tx) => {
		// Another instance doing the same person holds these rows: it sends, this one passes.
		const taken = await tx
			.select({ id: dialogueNotification.id })
			.from(dialogueNotification)
			.where(
				and(
					eq(dialogueNotification.userId, userId),
					isNull(dialogueNotification.mailedAt),
					lt(dialogueNotification.createdAt, start)
				)
			)
			.for('update', { skipLocked: true });
		if (!taken.length) return false;
		const ids = taken.map((t) => t.id);
		const [person] = await tx
			.select({ id: user.id, name: user.name, email: user.email, locale: user.locale })
			.from(user)
			.where(eq(user.id, userId));
		const rows = await tx
			.select({
				eventKind: proposalEvent.kind,
				detail: proposalEvent.detail,
				commentId: dialogueNotification.commentId,
				spaceSlug: dialogueSpace.slug,
				spaceTitle: dialogueSpace.title,
				proposalId: dialogueNotification.proposalId,
				proposalTitle: proposal.title,
				replierName: replier.name
			})
			.from(dialogueNotification)
			.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueNotification.spaceId))
			.leftJoin(proposal, eq(proposal.id, dialogueNotification.proposalId))
			.leftJoin(proposalEvent, eq(proposalEvent.id, dialogueNotification.eventId))
			.leftJoin(dialogueComment, eq(dialogueComment.id, dialogueNotification.commentId))
			.leftJoin(replier, eq(replier.id, dialogueComment.authorId))
			.where(inArray(dialogueNotification.id, ids))
			.orderBy(
				asc(dialogueNotification.spaceId),
				asc(dialogueNotification.createdAt),
				asc(dialogueNotification.id)
			);
		const list: Happening[] = [];
		for (const r of rows) {
			const kind = r.commentId ? 'reply' : r.eventKind;
			if (kind !== 'reply' && !(toldKinds as readonly (string | null)[]).includes(kind)) continue;
			list.push({
				kind: kind as ToldKind | 'reply',
				spaceSlug: r.spaceSlug,
				spaceTitle: r.spaceTitle,
				proposalId: r.proposalId,
				proposalTitle: r.proposalTitle,
				answerState: r.detail?.state ?? null,
				resultTitle: r.detail ? resultTitleOf(r.detail) : null,
				replierName: r.replierName,
				commentId: r.commentId,
				via: { kind: 'all' }
			});
		}
		if (person && list.length) {
			await enqueueMail(
				tx,
				digestMail(`digest:${userId}:${isoDay(start)}:${Math.min(...ids)}`, person, period, list)
			);
		}
		await tx
			.update(dialogueNotification)
			.set({ mailedAt: sql`now()` })
			.where(inArray(dialogueNotification.id, ids));
		return Boolean(person && list.length);
	});
}

/** How often a process looks for due digests (a period turns once a day at most). */
export const digestCheckMs = 60_000;
const lastCheck = new WeakMap<object, number>();

/** The tick's call: `sendDigests` at most once a minute per process and database. */
export async function sendDueDigests(db: Database): Promise<number> {
	const now = Date.now();
	if (now - (lastCheck.get(db) ?? 0) < digestCheckMs) return 0;
	lastCheck.set(db, now);
	return sendDigests(db, new Date(now));
}
