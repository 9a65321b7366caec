import { and, eq, isNull, sql } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError, ValidationError } from '../../kernel/errors.ts';
import { authorize, authorizeOn, type Actor } from '../../kernel/policy.ts';
import { readForm } from '../../kernel/input.ts';
import { runCommand } from '../../kernel/write.ts';
import { signInThrottle } from '../../accounts/schema.ts';
import { dialogueBlock, dialogueComment, dialogueFlag, proposal, proposalEvent } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import { readBlockForm, readDecisionForm, readFlagForm, unblockShape, type Target } from './input.ts';
import { targetRow } from './queries.ts';
import { mayTakePart } from '../participation.ts';

// Moderation: participants flag; enough flags from different participants hide a thing until a
// moderator decides; moderators hide or restore with a public reason and block participants
// (screening is screening.ts). Every act is audited; none raises the content revision (dialogue
// pages are live).

type Form = FormData | Record<string, unknown>;

const refuse = (
	code: 'flagBlocked' | 'flagLimit' | 'flagNotPublic' | 'authorGone' | 'alreadyBlocked' | 'unknownBlock',
	params?: Record<string, number>
) => new ValidationError([{ field: 'form', code, params }], 'dialogue');

const subject = (t: Target) => `${t.kind === 'proposal' ? 'proposal' : 'dialogue-comment'}:${t.id}`;

// ---------------------------------------------------------------------------------------------
// Flags

/** Flags a participant may give in an hour, and flags from one client address. */
export const flagsPerUser = 10;
export const flagsPerAddress = 30;
const flagWindowSeconds = 60 * 60;

const limiters = new WeakMap<Database, { byUser: RateLimiterDrizzle; byAddress: RateLimiterDrizzle }>();

function flagLimiters(db: Database) {
	let found = limiters.get(db);
	if (!found) {
		// The sign-in throttle's table with keys of our own: every instance counts the same flags.
		const options = {
			storeClient: db,
			schema: signInThrottle,
			duration: flagWindowSeconds,
			clearExpiredByTimeout: false
		};
		found = {
			byUser: new RateLimiterDrizzle({ ...options, keyPrefix: 'dialogue-flag-user', points: flagsPerUser }),
			byAddress: new RateLimiterDrizzle({
				...options,
				keyPrefix: 'dialogue-flag-ip',
				points: flagsPerAddress
			})
		};
		limiters.set(db, found);
	}
	return found;
}

/** Takes one flag from both allowances, or refuses with the minutes to wait. */
async function takeFlagAllowance(db: Database, userId: string, address: string): Promise<void> {
	const { byUser, byAddress } = flagLimiters(db);
	const refused = (r: unknown) =>
		r instanceof RateLimiterRes
			? refuse('flagLimit', { minutes: Math.max(1, Math.ceil(r.msBeforeNext / 60_000)) })
			: r;
	await byUser.consume(userId).catch((r) => {
		throw refused(r);
	});
	await byAddress.consume(address).catch(async (r) => {
		await byUser.reward(userId, 1).catch(() => undefined);
		throw refused(r);
	});
}

/**
 * Hides a thing (by a moderator with a reason, or by flags without one) and writes its history;
 * the moderator is kept on the step (never shown) so they are not mailed about their own decision.
 */
async function setHidden(
	tx: Transaction,
	target: Target,
	hidden: boolean,
	reason: string | null,
	by: { moderator: string } | 'flags'
) {
	const values = { hidden, hiddenReason: hidden ? reason : null };
	if (target.kind === 'proposal') {
		await tx.update(proposal).set(values).where(eq(proposal.id, target.id));
		const detail: Record<string, string> = { by: by === 'flags' ? 'flags' : 'moderator' };
		if (reason) detail.reason = reason;
		await tx.insert(proposalEvent).values({
			proposalId: target.id,
			kind: hidden ? 'hidden' : 'restored',
			detail,
			actorId: by === 'flags' ? null : by.moderator
		});
	} else {
		await tx.update(dialogueComment).set(values).where(eq(dialogueComment.id, target.id));
	}
}

const flagOn = (t: Target) =>
	t.kind === 'proposal' ? eq(dialogueFlag.proposalId, t.id) : eq(dialogueFlag.commentId, t.id);

/**
 * A participant flags a proposal or a comment with a reason: once per participant and thing (a
 * second flag changes nothing). When `space.flags_to_hide` different participants have flagged it
 * since a moderator last decided, it is hidden until a moderator decides. Blocked participants
 * cannot flag; flags are limited per participant and per client address.
 */
export async function flag(
	db: Database,
	actor: Actor,
	form: Form,
	options: { clientAddress: string }
): Promise<{ flagged: boolean; hidden: boolean; spaceId: number }> {
	authorize(actor, dialoguePolicy.participate);
	const { target, reason } = readFlagForm(form);
	const found = await targetRow(db, target);
	if (found.gone || (found.status !== null && ['screening', 'refused'].includes(found.status)))
		throw refuse('flagNotPublic');
	const gate = await mayTakePart(db, actor, { id: found.spaceId }, 'flags');
	if (!gate.ok) {
		if (gate.reason === 'unverifiedEmail') {
			throw new ValidationError([{ field: 'form', code: 'commentEmailUnverified' }], 'dialogue');
		}
		throw refuse('flagBlocked');
	}
	const space = await readSpace(db, { id: found.spaceId });
	// Counted outside the transaction, in the limiter's own table: a refused flag writes nothing.
	await takeFlagAllowance(db, actor.id, options.clientAddress);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => ({ target, reason }),
		work: async (tx, input, who) => {
			// The thing is locked first: the flag that crosses the line is counted exactly once.
			const row = await targetRow(tx, input.target, true);
			const inserted = await tx
				.insert(dialogueFlag)
				.values({
					spaceId: row.spaceId,
					proposalId: input.target.kind === 'proposal' ? input.target.id : null,
					commentId: input.target.kind === 'comment' ? input.target.id : null,
					userId: who.id,
					reason: input.reason
				})
				.onConflictDoNothing()
				.returning({ id: dialogueFlag.id });
			const [{ open } = { open: 0 }] = await tx
				.select({ open: sql<number>`count(*)`.mapWith(Number) })
				.from(dialogueFlag)
				.where(and(flagOn(input.target), isNull(dialogueFlag.resolvedAt)));
			const hide = inserted.length > 0 && !row.hidden && open >= space.flagsToHide;
			if (hide) await setHidden(tx, input.target, true, null, 'flags');
			return {
				result: { flagged: inserted.length > 0, hidden: row.hidden || hide, spaceId: row.spaceId },
				audit: [
					...(inserted.length
						? [{ action: 'dialogue.flag', subject: subject(input.target), after: { reason: input.reason } }]
						: []),
					...(hide
						? [
								{
									action: 'dialogue.hide-by-flags',
									subject: subject(input.target),
									after: { openFlags: open }
								}
							]
						: [])
				],
				public: false
			};
		}
	});
}

// ---------------------------------------------------------------------------------------------
// Moderators' decisions

/**
 * Where a moderator acts: a space's moderation page (its address: its moderators, whoever runs
 * it, the programme's editors) or the platform's queue (the programme's editors).
 */
export type Where = { space: string } | 'platform';

/**
 * Asks who may act there before the form is read (403 or a sign-in first, whatever was sent);
 * gives the space for a space's page.
 */
async function actingIn(db: Database, actor: Actor, where: Where): Promise<SpaceRecord | null> {
	if (where === 'platform') {
		authorize(actor, dialoguePolicy.moderatePlatform);
		return null;
	}
	authorize(actor, dialoguePolicy.participate);
	const space = await readSpace(db, { slug: where.space });
	await authorizeOn(actor, dialoguePolicy.moderate, space.actors);
	return space;
}

/** The thing acted on; on a space's page it must be that space's (404 otherwise). */
async function targetIn(db: Database, target: Target, space: SpaceRecord | null) {
	const found = await targetRow(db, target);
	if (space && found.spaceId !== space.id) throw new NotFoundError('Moderated input');
	return found;
}

/**
 * A moderator hides (`hide`) or restores a proposal or comment, with a reason the public sees
 * (the hidden thing's reason; a proposal's history tells both). The decision resolves the open
 * flags, so a restored thing stays visible until new flags reach the limit again. Restoring a
 * thing that was not hidden dismisses its flags.
 */
export async function decide(
	db: Database,
	actor: Actor,
	form: Form,
	hide: boolean,
	where: Where
): Promise<void> {
	const space = await actingIn(db, actor, where);
	const { target, reason } = readDecisionForm(form);
	await targetIn(db, target, space);
	await runCommand(db, actor, {
		rule: where === 'platform' ? dialoguePolicy.moderatePlatform : dialoguePolicy.participate,
		parse: () => ({ target, reason }),
		work: async (tx, input, who) => {
			const before = await targetRow(tx, input.target, true);
			if (hide || before.hidden) await setHidden(tx, input.target, hide, input.reason, { moderator: who.id });
			const resolved = await tx
				.update(dialogueFlag)
				.set({ resolvedAt: new Date() })
				.where(and(flagOn(input.target), isNull(dialogueFlag.resolvedAt)))
				.returning({ id: dialogueFlag.id });
			return {
				result: undefined,
				audit: {
					action: hide ? 'dialogue.hide' : before.hidden ? 'dialogue.restore' : 'dialogue.dismiss-flags',
					subject: subject(input.target),
					before: { hidden: before.hidden, hiddenReason: before.hiddenReason },
					after: { hidden: hide, reason: input.reason, resolvedFlags: resolved.length }
				},
				public: false
			};
		}
	});
}

export const hide = (db: Database, actor: Actor, form: Form, where: Where) =>
	decide(db, actor, form, true, where);
export const restore = (db: Database, actor: Actor, form: Form, where: Where) =>
	decide(db, actor, form, false, where);

// ---------------------------------------------------------------------------------------------
// Blocks

/**
 * Blocks the author of a proposal or comment from giving input, with a reason: in the space, from
 * its moderation page, or on the whole platform, from the platform's queue.
 */
export async function blockAuthor(
	db: Database,
	actor: Actor,
	form: Form,
	where: Where
): Promise<{ id: number }> {
	const space = await actingIn(db, actor, where);
	const { target, reason } = readBlockForm(form);
	const found = await targetIn(db, target, space);
	if (!found.authorId) throw refuse('authorGone');
	const userId = found.authorId;
	const spaceId = space?.id ?? null;
	return runCommand(db, actor, {
		rule: where === 'platform' ? dialoguePolicy.moderatePlatform : dialoguePolicy.participate,
		parse: () => reason,
		work: async (tx, reason) => {
			const [existing] = await tx
				.select({ id: dialogueBlock.id })
				.from(dialogueBlock)
				.where(
					and(
						eq(dialogueBlock.userId, userId),
						spaceId === null ? isNull(dialogueBlock.spaceId) : eq(dialogueBlock.spaceId, spaceId)
					)
				)
				.for('update');
			if (existing) throw refuse('alreadyBlocked');
			const [row] = await tx
				.insert(dialogueBlock)
				.values({ userId, spaceId, reason })
				.returning({ id: dialogueBlock.id });
			return {
				result: { id: row!.id },
				audit: {
					action: 'dialogue.block',
					subject: `user:${userId}`,
					after: { spaceId, reason, because: subject(target) }
				},
				public: false
			};
		}
	});
}

/** Lifts a block: a space's from its moderation page, a platform-wide one from the platform's queue. */
export async function unblock(db: Database, actor: Actor, form: Form, where: Where): Promise<void> {
	const space = await actingIn(db, actor, where);
	const { block } = readForm(form, unblockShape, 'dialogue');
	await runCommand(db, actor, {
		rule: where === 'platform' ? dialoguePolicy.moderatePlatform : dialoguePolicy.participate,
		parse: () => block,
		work: async (tx, id) => {
			const [before] = await tx
				.delete(dialogueBlock)
				.where(
					and(
						eq(dialogueBlock.id, id),
						space ? eq(dialogueBlock.spaceId, space.id) : isNull(dialogueBlock.spaceId)
					)
				)
				.returning();
			if (!before) throw refuse('unknownBlock');
			return {
				result: undefined,
				audit: { action: 'dialogue.unblock', subject: `user:${before.userId}`, before },
				public: false
			};
		}
	});
}
