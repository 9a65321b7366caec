import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { ValidationError } from '../../kernel/errors.ts';
import { authorizeOn, type Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { user } from '../../accounts/schema.ts';
import { dialogueComment, proposal, proposalEvent } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import { readSpace, type SpaceRecord } from '../spaces/queries.ts';
import { countOn } from '../comments/commands.ts';
import { tellApprovedReply } from '../notifications/notifier.ts';
import { readScreeningForm, type Target } from './input.ts';

// Screening in a pre-moderated space: the proposals and comments waiting for a moderator, who
// publishes each or refuses it with a reason its author sees. Each decision is audited with the
// moderator as its actor; a proposal's is a step of its history too. None raises the content
// revision.

type Form = FormData | Record<string, unknown>;

/** At most this many in each list of the moderation page (waiting, hidden, blocks). */
export const listMax = 200;

export interface ScreeningItem {
	id: number;
	title: string;
	body: string;
	author: string | null;
	createdAt: string;
}

/** Proposals waiting to be screened in a space, oldest first. */
export async function screeningQueue(db: Database, spaceId: number): Promise<ScreeningItem[]> {
	const rows = await db
		.select({
			id: proposal.id,
			title: proposal.title,
			body: proposal.body,
			author: user.name,
			createdAt: proposal.createdAt
		})
		.from(proposal)
		.leftJoin(user, eq(user.id, proposal.authorId))
		.where(and(eq(proposal.spaceId, spaceId), eq(proposal.status, 'screening')))
		.orderBy(asc(proposal.createdAt), asc(proposal.id))
		.limit(listMax);
	return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** A comment held for screening, as the moderators' list shows it. */
export interface HeldComment {
	id: number;
	/** The proposal it is on and its title (null in the space's debate). */
	proposalId: number | null;
	title: string | null;
	body: string;
	author: string | null;
	createdAt: string;
	/** The viewer wrote it: they are not offered to block themselves. */
	mine: boolean;
}

/** Comments held in a space, oldest first (`dialogue_comment_screening_idx`); not refused or deleted. */
export async function heldComments(db: Database, spaceId: number, viewerId: string): Promise<HeldComment[]> {
	const c = dialogueComment;
	const rows = await db
		.select({
			id: c.id,
			proposalId: c.proposalId,
			title: proposal.title,
			body: c.body,
			authorId: c.authorId,
			author: user.name,
			createdAt: c.createdAt
		})
		.from(c)
		.leftJoin(proposal, eq(proposal.id, c.proposalId))
		.leftJoin(user, eq(user.id, c.authorId))
		.where(and(eq(c.spaceId, spaceId), eq(c.screening, true), eq(c.hidden, false), isNull(c.deletedAt)))
		.orderBy(asc(c.createdAt), asc(c.id))
		.limit(listMax);
	return rows.map(({ authorId, ...r }) => ({
		...r,
		createdAt: r.createdAt.toISOString(),
		mine: authorId === viewerId
	}));
}

const refuse = (code: 'notInScreening' | 'commentNotHeld') =>
	new ValidationError([{ field: 'form', code }], 'dialogue');

/**
 * A moderator of the space publishes (`publish`) or refuses a proposal in screening or a held
 * comment: the form names one (`proposal=<id>` or `comment=<id>`); a refusal needs a reason.
 *
 * A proposal published starts collecting supports now, for the space's window; refused, its
 * reason stands in its history. A comment approved is public and counted, and a reply is told to
 * the author of the comment it answers (never to the moderator); refused, it is hidden with its
 * reason and stays its author's alone (it is never counted, told or published).
 */
export async function screen(
	db: Database,
	actor: Actor,
	slug: string,
	form: Form,
	decision: 'publish' | 'refuse'
): Promise<Target['kind']> {
	const space = await readSpace(db, { slug });
	await authorizeOn(actor, dialoguePolicy.moderate, space.actors);
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => readScreeningForm(form, decision === 'refuse'),
		work: async (tx, { target, reason }, who) => {
			if (target.kind === 'comment') {
				return {
					result: target.kind,
					audit: await screenComment(tx, space, target.id, decision, reason, who.id),
					public: false
				};
			}
			const [found] = await tx
				.select({ status: proposal.status })
				.from(proposal)
				.where(and(eq(proposal.id, target.id), eq(proposal.spaceId, space.id)))
				.for('update');
			if (!found || found.status !== 'screening') throw refuse('notInScreening');
			const now = new Date();
			if (decision === 'publish') {
				const collectUntil = new Date(now.getTime() + space.supportWindowDays * 24 * 60 * 60 * 1000);
				await tx
					.update(proposal)
					.set({ status: 'collecting', collectUntil })
					.where(eq(proposal.id, target.id));
				await tx
					.insert(proposalEvent)
					.values({ proposalId: target.id, kind: 'published', actorId: who.id, at: now });
			} else {
				await tx.update(proposal).set({ status: 'refused' }).where(eq(proposal.id, target.id));
				await tx.insert(proposalEvent).values({
					proposalId: target.id,
					kind: 'refused',
					detail: { reason: reason! },
					actorId: who.id,
					at: now
				});
			}
			return {
				result: target.kind,
				audit: {
					action: decision === 'publish' ? 'dialogue.screen.publish' : 'dialogue.screen.refuse',
					subject: `proposal:${target.id}`,
					before: { status: 'screening' },
					after: { status: decision === 'publish' ? 'collecting' : 'refused', reason }
				},
				public: false
			};
		}
	});
}

/** A held comment's decision (in the command's transaction), and its audit row. */
async function screenComment(
	tx: Transaction,
	space: SpaceRecord,
	id: number,
	decision: 'publish' | 'refuse',
	reason: string | null,
	moderatorId: string
) {
	const c = dialogueComment;
	const [found] = await tx
		.select({ proposalId: c.proposalId, screening: c.screening, hidden: c.hidden, deletedAt: c.deletedAt })
		.from(c)
		.where(and(eq(c.id, id), eq(c.spaceId, space.id)))
		.for('update');
	// Decided by another moderator meanwhile, or deleted by its author: nothing left to decide.
	if (!found || !found.screening || found.hidden || found.deletedAt) throw refuse('commentNotHeld');
	if (decision === 'publish') {
		await tx.update(c).set({ screening: false }).where(eq(c.id, id));
		await countOn(tx, found.proposalId, 1);
		await tellApprovedReply(tx, id, moderatorId);
	} else {
		// Still held (so never public, counted or told), now hidden with the reason its author sees.
		await tx.update(c).set({ hidden: true, hiddenReason: reason }).where(eq(c.id, id));
	}
	return {
		action: decision === 'publish' ? 'dialogue-comment.approve' : 'dialogue-comment.refuse',
		subject: `dialogue-comment:${id}`,
		before: { screening: true },
		after: decision === 'publish' ? { screening: false } : { screening: true, hidden: true, reason }
	};
}
