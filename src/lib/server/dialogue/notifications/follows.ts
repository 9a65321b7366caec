import { and, eq, inArray, isNull, notInArray, or } from 'drizzle-orm';
import type { Database, Transaction } from '../../kernel/database.ts';
import { NotFoundError } from '../../kernel/errors.ts';
import type { Actor } from '../../kernel/policy.ts';
import { runCommand } from '../../kernel/write.ts';
import { dialogueFollow, dialogueSpace, proposal } from '../schema.ts';
import { dialoguePolicy } from '../policy.ts';
import type { FollowChoice } from './input.ts';

// Following a space or a proposal: the button on their pages. Following is live input (never
// cached, `public: false`); each change is audited.

/** What a follow button is about: a space, or one of its proposals. */
export interface FollowPlace {
	/** The space's address part. */
	space: string;
	proposal?: number;
}

/** The space's id and the proposal's (when named), or 404: drafts and unpublished proposals are nobody's to follow. */
async function placeIds(tx: Database | Transaction, place: FollowPlace) {
	const [space] = await tx
		.select({ id: dialogueSpace.id })
		.from(dialogueSpace)
		.where(and(eq(dialogueSpace.slug, place.space), notInArray(dialogueSpace.status, ['draft'])));
	if (!space) throw new NotFoundError('dialogue space');
	if (place.proposal === undefined) return { spaceId: space.id, proposalId: null };
	const [found] = await tx
		.select({ id: proposal.id })
		.from(proposal)
		.where(
			and(
				eq(proposal.id, place.proposal),
				eq(proposal.spaceId, space.id),
				notInArray(proposal.status, ['screening', 'refused'])
			)
		);
	if (!found) throw new NotFoundError('proposal');
	return { spaceId: space.id, proposalId: found.id };
}

const followOn = (ids: { spaceId: number; proposalId: number | null }) =>
	ids.proposalId === null
		? and(eq(dialogueFollow.spaceId, ids.spaceId), isNull(dialogueFollow.proposalId))
		: eq(dialogueFollow.proposalId, ids.proposalId);

/** The signed-in participant follows (or stops following) a space or a proposal. */
export async function setFollow(
	db: Database,
	actor: Actor,
	place: FollowPlace,
	choice: FollowChoice
): Promise<{ following: boolean }> {
	return runCommand(db, actor, {
		rule: dialoguePolicy.participate,
		parse: () => ({ place, choice }),
		work: async (tx, input, who) => {
			const ids = await placeIds(tx, input.place);
			const subject =
				ids.proposalId === null ? `dialogue-space:${ids.spaceId}` : `proposal:${ids.proposalId}`;
			if (input.choice === 'follow') {
				await tx
					.insert(dialogueFollow)
					.values(
						ids.proposalId === null
							? { userId: who.id, spaceId: ids.spaceId }
							: { userId: who.id, proposalId: ids.proposalId }
					)
					.onConflictDoNothing();
			} else {
				await tx.delete(dialogueFollow).where(and(eq(dialogueFollow.userId, who.id), followOn(ids)));
			}
			return {
				result: { following: input.choice === 'follow' },
				audit: { action: `dialogue.${input.choice}`, subject },
				public: false
			};
		}
	});
}

/** Whether the participant follows the space and each of the given proposals (one query). */
export async function followsOf(
	db: Database | Transaction,
	actor: Actor,
	spaceId: number,
	proposalIds: readonly number[] = []
): Promise<{ space: boolean; proposals: Set<number> }> {
	if (!actor) return { space: false, proposals: new Set() };
	const rows = await db
		.select({ spaceId: dialogueFollow.spaceId, proposalId: dialogueFollow.proposalId })
		.from(dialogueFollow)
		.where(
			and(
				eq(dialogueFollow.userId, actor.id),
				proposalIds.length
					? or(eq(dialogueFollow.spaceId, spaceId), inArray(dialogueFollow.proposalId, [...proposalIds]))
					: eq(dialogueFollow.spaceId, spaceId)
			)
		);
	return {
		space: rows.some((r) => r.spaceId === spaceId),
		proposals: new Set(rows.flatMap((r) => (r.proposalId === null ? [] : [r.proposalId])))
	};
}

/** Whether the participant follows this space (or this proposal of it), for a page's button. */
export async function isFollowing(
	db: Database | Transaction,
	actor: Actor,
	place: FollowPlace
): Promise<boolean> {
	if (!actor) return false;
	const mine = eq(dialogueFollow.userId, actor.id);
	const inSpace = eq(dialogueSpace.slug, place.space);
	const rows =
		place.proposal === undefined
			? await db
					.select({ id: dialogueFollow.id })
					.from(dialogueFollow)
					.innerJoin(dialogueSpace, eq(dialogueSpace.id, dialogueFollow.spaceId))
					.where(and(mine, inSpace))
					.limit(1)
			: await db
					.select({ id: dialogueFollow.id })
					.from(dialogueFollow)
					.innerJoin(proposal, eq(proposal.id, dialogueFollow.proposalId))
					.innerJoin(dialogueSpace, eq(dialogueSpace.id, proposal.spaceId))
					.where(and(mine, inSpace, eq(dialogueFollow.proposalId, place.proposal)))
					.limit(1);
	return rows.length > 0;
}
